-- reports_visible_pupils_on_demand: the /reports pupil list under REPORTS_SOURCE=live, with
-- each pupil's overall summary computed now instead of read from report_pupil_summary.
--
-- Why: with REPORTS_SOURCE=live the overview's group figures were computed on demand
-- (reports_overview_group_stats, p_live) but every pupil's overall average still came from
-- the cache, so the rollback flag did not bypass all of the cache. Same columns and rows as
-- reports_visible_pupils (whose pupils, groups and feedback versions it reuses); the summary
-- comes from private.report_summary_rows_for_caller, which computes over all of the pupil's
-- feedback and shows it exactly when report_pupil_summary's policy would. cached_version is
-- the version that computation covers, so a live list does not say "recalculating".
-- Invoker: RLS decides which pupils, as for reports_visible_pupils. One summary per pupil:
-- ~1 ms each on the large seed, so an admin's list of 1,300 pupils costs ~1.3 s, the price of
-- a rollback mode.
create or replace function public.reports_visible_pupils_on_demand(p_group_id uuid default null, p_pupil_id uuid default null)
returns table (
  pupil_id uuid, first_name text, last_name text, group_ids uuid[], overall_average numeric(4, 2),
  working_level text, cached_version bigint, feedback_version bigint
)
language sql stable security invoker set search_path = '' as $$
  select v.pupil_id, v.first_name, v.last_name, v.group_ids, s.overall_average, s.working_level, s.source_version,
    v.feedback_version
  from public.reports_visible_pupils(p_group_id, p_pupil_id) v
  left join lateral private.report_summary_rows_for_caller(v.pupil_id) s on true
  order by v.last_name, v.first_name, v.pupil_id
$$;
comment on function public.reports_visible_pupils_on_demand(uuid, uuid) is
  'reports_visible_pupils with each overall summary computed now (REPORTS_SOURCE=live); cached_version = the '
  'version the computed summary covers.';
revoke execute on function public.reports_visible_pupils_on_demand(uuid, uuid) from public, anon;
grant execute on function public.reports_visible_pupils_on_demand(uuid, uuid) to authenticated, service_role;
