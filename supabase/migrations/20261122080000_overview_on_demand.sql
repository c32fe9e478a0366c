-- The /reports overview honours REPORTS_SOURCE=live: reports_visible_unit_rows_on_demand
-- returns the rows of reports_visible_unit_rows (migration 20261122050000) computed now from
-- feedback instead of read from the cache, so the rollback switch covers the overview as it
-- already covers the pupil and group pages (reports_pupil_units_on_demand,
-- reports_group_units_on_demand).
--
-- One calculation: the rows come from private.report_unit_rows (migration 20261122024000),
-- the view reports_prepared_dataset (hence both sibling on-demand functions) reads and that
-- reports_recalculate_pupil / reports_recalculate_all write into the cache. Same columns,
-- types and order as the cached function, so the loader parses both with one schema.
--
-- Visibility: security invoker, and the view is security_invoker too, so RLS on feedback
-- and assignments decides what the caller sees: a (pupil, unit) row appears when the
-- caller can read rated feedback on an assignment of that unit, i.e. when one of the groups
-- that fed it is readable, which is exactly the cached table's policy
-- (group_ids && readable groups): a teacher sees their groups' pupils, a head of department
-- their department's, an admin everyone. As in the sibling on-demand functions, the numbers
-- of such a row are computed from the feedback the caller can read.
--
-- Cost: one set-based aggregation over the caller's readable feedback (the rollback path;
-- the cached function stays the default).

create or replace function public.reports_visible_unit_rows_on_demand()
returns table (
  pupil_id uuid, unit_id uuid, group_ids uuid[], assignments_counted int4, criteria_rated int4,
  average_rating numeric(4, 2), working_level text, last_feedback_at timestamptz, source_version bigint
)
language sql stable security invoker set search_path = '' as $$
  select r.pupil_id, r.unit_id, r.group_ids, r.assignments_counted, r.criteria_rated, r.average_rating,
    r.working_level, r.last_feedback_at, r.source_version
  from private.report_unit_rows r
  order by r.pupil_id, r.unit_id
$$;
comment on function public.reports_visible_unit_rows_on_demand() is
  '/reports with REPORTS_SOURCE=live: same rows as reports_visible_unit_rows, computed from feedback now '
  '(private.report_unit_rows, the calculation the cache is written from); RLS decides visibility.';

revoke execute on function public.reports_visible_unit_rows_on_demand() from public, anon;
grant execute on function public.reports_visible_unit_rows_on_demand() to authenticated, service_role;
