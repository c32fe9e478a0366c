-- reports_pupil_page: everything /reports/[pupilId] renders, in one call, as one compact JSON
-- document (the pupil page made five API calls: the pupil, the bands, the unit rows, the
-- criteria and the readable groups).
--
-- What it returns (null when the pupil does not exist or the caller may not read them):
--   { "pupil":    [pupil_id, first_name, last_name, group_ids, overall_average, working_level,
--                  cached_version, feedback_version],
--     "groups":   [[group_id, name, subject, year_group], …]   -- the pupil's readable groups
--     "bands":    [[working_level, label, min_average, max_average], …],
--     "units":    [[unit_id, name, position], …]                -- index = position in this array
--     "rows":     [[unit_index, group_ids, assignments_counted, criteria_rated, average_rating,
--                   working_level, last_feedback_at, source_version], …]
--     "criteria": [[success_criterion_id, unit_index, position, description, group_id, rating,
--                   version, updated_at], …] }
-- The same values reports_visible_pupils(null, p_pupil_id), reports_pupil_units /
-- reports_pupil_units_on_demand, reports_pupil_criteria / reports_prepared_criteria, the
-- groups select and working_level_bands give the same caller
-- (tests/integration/export/pupil-page-rpc.pg.test.ts). p_live computes everything the page
-- shows now — unit rows, criteria and the overall summary — so REPORTS_SOURCE=live bypasses
-- the cache for the whole page (its criteria and overall average used to come from the cache
-- whatever REPORTS_SOURCE said). Under p_live, cached_version is the version the computed
-- summary covers: the page is current, so it does not say "recalculating".
--
-- SECURITY DEFINER for the reason given in 20261122090000 (reports_group_page): the id helpers
-- behind the policies ran once per table. Here the policies do not all reduce to one check,
-- so each is applied as its predicate over the caller's readable groups, computed once:
--   pupil, summary  — the pupil is in a readable group (pupils / report_pupil_summary policies),
--                     the summary cached or computed;
--   groups          — readable;
--   unit rows       — group_ids overlaps the readable groups (report_pupil_unit_summaries);
--   criteria        — group_id is a readable group (report_pupil_feedback_cache), cached or computed;
--   units, criteria descriptions — any staff member (implied by a readable group).
-- service_role bypasses RLS and reads everything, as it does through the invoker functions.
create or replace function public.reports_pupil_page(p_pupil_id uuid, p_live boolean default false)
returns json
language sql stable security definer set search_path = '' as $$
  with
  caller as (
    select coalesce((select auth.role()) = 'service_role', false) as bypasses_rls,
      private.readable_group_id_array() as readable_groups
  ),
  pupil_groups as (
    select g.id, g.name, g.subject, g.year_group
    from public.group_pupils gp
    join public.groups g on g.id = gp.group_id
    cross join caller c
    where gp.pupil_id = p_pupil_id and (c.bypasses_rls or gp.group_id = any (c.readable_groups))
  ),
  target as (
    select p.id, p.first_name, p.last_name
    from public.pupils p
    where p.id = p_pupil_id and exists (select 1 from pupil_groups)
  ),
  unit_rows as (
    select r.unit_id, r.group_ids, r.assignments_counted, r.criteria_rated, r.average_rating, r.working_level,
      r.last_feedback_at, r.source_version
    from public.report_pupil_unit_summaries r cross join caller c
    where not p_live and r.pupil_id = (select t.id from target t)
      and (c.bypasses_rls or r.group_ids && c.readable_groups)
    union all
    -- Called from this definer, the dispatcher reads the calculation views directly.
    select r.unit_id, r.group_ids, r.assignments_counted, r.criteria_rated, r.average_rating, r.working_level,
      r.last_feedback_at, r.source_version
    from private.report_unit_rows_for_caller(array(select t.id from target t), null) r cross join caller c
    where p_live and (c.bypasses_rls or r.group_ids && c.readable_groups)
  ),
  latest_ratings as (
    select f.success_criterion_id, f.unit_id, f.group_id, f.rating, f.version, f.updated_at
    from public.report_pupil_feedback_cache f cross join caller c
    where not p_live and f.pupil_id = (select t.id from target t) and (c.bypasses_rls or f.group_id = any (c.readable_groups))
    union all
    -- Called from this definer, the dispatcher reads the calculation view directly.
    select r.success_criterion_id, r.unit_id, r.group_id, r.rating, r.version, r.updated_at
    from private.report_criteria_rows_for_caller((select t.id from target t)) r cross join caller c
    where p_live and (c.bypasses_rls or r.group_id = any (c.readable_groups))
  ),
  criterion_rows as (
    select lr.success_criterion_id, lr.unit_id, sc.position, sc.description, lr.group_id, lr.rating, lr.version, lr.updated_at
    from latest_ratings lr
    join public.success_criteria sc on sc.id = lr.success_criterion_id
  ),
  -- The pupil's overall summary: cached, or (p_live) computed now over all of their feedback,
  -- shown if the pupil is readable (the report_pupil_summary policy).
  overall as (
    select s.pupil_id, s.overall_average, s.working_level, s.source_version
    from public.report_pupil_summary s
    where not p_live and s.pupil_id = (select t.id from target t)
    union all
    select s.pupil_id, s.overall_average, s.working_level, s.source_version
    from private.report_summary_rows_for_caller((select t.id from target t)) s
    where p_live
  ),
  page_units as (
    select u.id, u.name, u.position,
      (row_number() over (order by u.department_id, u.position, u.name, u.id) - 1)::int as idx
    from public.units u
    where u.id in (select ur.unit_id from unit_rows ur union select cr.unit_id from criterion_rows cr)
  )
  select json_build_object(
    'pupil', json_build_array(t.id, t.first_name, t.last_name,
      (select coalesce(array_agg(pg.id order by pg.id), '{}') from pupil_groups pg),
      s.overall_average, s.working_level, s.source_version,
      -- Only feedback that will leave a cache row to wait for (as reports_visible_pupils).
      case when s.pupil_id is not null
             or exists (select 1 from public.feedback f where f.pupil_id = t.id and f.rating is not null)
        then (select f.version from public.feedback f where f.pupil_id = t.id order by f.version desc limit 1)
      end),
    'groups', (select json_agg(json_build_array(pg.id, pg.name, pg.subject, pg.year_group) order by pg.name, pg.id)
               from pupil_groups pg),
    'bands', (select json_agg(json_build_array(b.working_level, b.label, b.min_average, b.max_average) order by b.min_average)
              from public.working_level_bands() b),
    'units', coalesce((select json_agg(json_build_array(u.id, u.name, u.position) order by u.idx) from page_units u), '[]'),
    'rows', coalesce((
      select json_agg(json_build_array(u.idx, ur.group_ids, ur.assignments_counted, ur.criteria_rated, ur.average_rating,
        ur.working_level, ur.last_feedback_at, ur.source_version) order by u.idx)
      from unit_rows ur join page_units u on u.id = ur.unit_id), '[]'),
    'criteria', coalesce((
      select json_agg(json_build_array(cr.success_criterion_id, u.idx, cr.position, cr.description, cr.group_id, cr.rating,
        cr.version, cr.updated_at) order by u.idx, cr.position)
      from criterion_rows cr join page_units u on u.id = cr.unit_id), '[]')
  )
  from target t
  left join overall s on s.pupil_id = t.id
$$;
comment on function public.reports_pupil_page(uuid, boolean) is
  '/reports/[pupilId] in one call: pupil, groups, bands, units, unit rows and criteria as compact arrays '
  '(see migration 20261122092000); null when the caller may not read the pupil. p_live computes all of it now.';
revoke execute on function public.reports_pupil_page(uuid, boolean) from public, anon;
grant execute on function public.reports_pupil_page(uuid, boolean) to authenticated, service_role;
