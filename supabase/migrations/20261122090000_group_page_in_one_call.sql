-- reports_group_page: everything /reports/groups/[groupId] renders, in one call, as one
-- compact JSON document.
--
-- Why: the page made five API calls (the group, the bands, the assignments, the pupils with
-- their "recalculating" versions, the unit rows). On the large seed (120 pupils × 12 units)
-- they took 38–61 ms together, and the unit rows alone were 514 KB of JSON objects that
-- repeat every column name and both uuids in each of 1,440 rows. Under RLS each of those
-- reads re-evaluated the id helpers behind the policies once per table (readable_pupil_ids()
-- alone ~1.1 ms a time, four times).
--
-- What it returns (null when the group does not exist or the caller may not read it):
--   { "group":       {id, name, subject, year_group},
--     "bands":       [[working_level, label, min_average, max_average], …],
--     "units":       [[unit_id, name, position], …]              -- index = position in this array
--     "assignments": [[assignment_id, unit_index, title, set_on, due_on], …],
--     "pupils":      [[pupil_id, first_name, last_name, group_ids, overall_average,
--                      working_level, cached_version, feedback_version], …]  -- index likewise
--     "cells":       [[pupil_index, unit_index, assignments_counted, criteria_rated,
--                      average_rating, working_level, last_feedback_at, source_version], …] }
-- The same values reports_group_units / reports_group_units_on_demand,
-- reports_visible_pupils(p_group_id), reports_group_assignments and working_level_bands give
-- the same caller (tests/integration/export/group-page-rpc.pg.test.ts compares them for a
-- teacher, a teacher of another department, a head of department, an admin and
-- service_role). Those functions stay: the realtime reconcile of other pages and the
-- benchmarks use them.
--
-- p_live: compute the cells and the pupils' overall summaries from feedback now
-- (REPORTS_SOURCE=live, and the fallback when the cache has no rows for a group with rated
-- feedback) instead of reading the cache. A pupil's cached_version is then the version the
-- computed summary covers: the page is current, so it does not say "recalculating".

-- SECURITY DEFINER because every policy involved reduces, for rows of ONE readable group, to
-- "this group is readable": its pupils are readable (pupils policy), the cached rows it feeds
-- are readable (p_group_id is in their group_ids), its assignments are readable, and units
-- are readable to any staff member (a readable group implies staff). The function checks that
-- one predicate once (service_role, which bypasses RLS, reads any group) and then reads the
-- group's rows without re-running the policies per table. The one place a pupil's data
-- reaches beyond this group, their other groups, is filtered to the readable ones here.
-- feedback_version covers feedback the caller cannot read, as in reports_visible_pupils
-- (migration 20261122084000): only a version number.
create or replace function public.reports_group_page(p_group_id uuid, p_live boolean default false)
returns json
language sql stable security definer set search_path = '' as $$
  with
  caller as (
    select coalesce((select auth.role()) = 'service_role', false) as bypasses_rls,
      private.readable_group_id_array() as readable_groups
  ),
  grp as (
    select g.id, g.name, g.subject, g.year_group
    from public.groups g cross join caller c
    where g.id = p_group_id and (c.bypasses_rls or g.id = any (c.readable_groups))
  ),
  roster as (
    select p.id, p.first_name, p.last_name,
      (row_number() over (order by p.last_name, p.first_name, p.id) - 1)::int as idx
    from public.group_pupils gp
    join public.pupils p on p.id = gp.pupil_id
    where gp.group_id = (select grp.id from grp)
  ),
  group_assignments as (
    select a.id, a.unit_id, a.title, a.set_on, a.due_on
    from public.assignments a
    where a.group_id = (select grp.id from grp)
  ),
  unit_rows as (
    select r.pupil_id, r.unit_id, r.assignments_counted, r.criteria_rated, r.average_rating, r.working_level,
      r.last_feedback_at, r.source_version
    from public.report_pupil_unit_summaries r
    -- @> rather than = any(): the GIN index on group_ids finds the group's rows.
    where not p_live and r.group_ids @> array[p_group_id] and r.pupil_id in (select ro.id from roster ro)
    union all
    -- Called from this definer, the dispatcher reads the calculation views directly.
    select r.pupil_id, r.unit_id, r.assignments_counted, r.criteria_rated, r.average_rating, r.working_level,
      r.last_feedback_at, r.source_version
    from private.report_unit_rows_for_caller(
      array(select ro.id from roster ro),
      array(select ga.unit_id from group_assignments ga)
    ) r
    where p_live and p_group_id = any (r.group_ids)
  ),
  page_units as (
    select u.id, u.name, u.position, (row_number() over (order by u.position, u.name, u.id) - 1)::int as idx
    from public.units u
    where u.id in (select ga.unit_id from group_assignments ga union select ur.unit_id from unit_rows ur)
  ),
  -- Each pupil's overall summary: cached, or (p_live) computed now over all of their feedback
  -- (the roster's pupils are readable, so their summaries are).
  overall as (
    select s.pupil_id, s.overall_average, s.working_level, s.source_version
    from public.report_pupil_summary s
    where not p_live and s.pupil_id in (select ro.id from roster ro)
    union all
    -- = any (array): the pupil filter reaches the view's feedback index (an IN-subquery
    -- semi-join aggregated every pupil's feedback first: 222 vs 26 ms for 120 pupils).
    select s.pupil_id, s.overall_average, s.working_level, s.source_version
    from private.report_summary_rows s
    where p_live and s.pupil_id = any (array(select ro.id from roster ro))
  ),
  pupil_rows as (
    select ro.idx, ro.id, ro.first_name, ro.last_name, s.overall_average, s.working_level, s.source_version,
      (select coalesce(array_agg(gp.group_id order by gp.group_id), '{}')
       from public.group_pupils gp cross join caller c
       where gp.pupil_id = ro.id and (c.bypasses_rls or gp.group_id = any (c.readable_groups))) as group_ids,
      -- Only feedback that will leave a cache row to wait for (as reports_visible_pupils).
      case when s.pupil_id is not null
             or exists (select 1 from public.feedback f where f.pupil_id = ro.id and f.rating is not null)
        then (select f.version from public.feedback f where f.pupil_id = ro.id order by f.version desc limit 1)
      end as feedback_version
    from roster ro
    left join overall s on s.pupil_id = ro.id
  )
  select json_build_object(
    'group', json_build_object('id', g.id, 'name', g.name, 'subject', g.subject, 'year_group', g.year_group),
    'bands', (select json_agg(json_build_array(b.working_level, b.label, b.min_average, b.max_average) order by b.min_average)
              from public.working_level_bands() b),
    'units', coalesce((select json_agg(json_build_array(u.id, u.name, u.position) order by u.idx) from page_units u), '[]'),
    'assignments', coalesce((
      select json_agg(json_build_array(ga.id, u.idx, ga.title, ga.set_on, ga.due_on) order by u.idx, ga.set_on, ga.id)
      from group_assignments ga join page_units u on u.id = ga.unit_id), '[]'),
    'pupils', coalesce((
      select json_agg(json_build_array(pr.id, pr.first_name, pr.last_name, pr.group_ids, pr.overall_average,
        pr.working_level, pr.source_version, pr.feedback_version) order by pr.idx)
      from pupil_rows pr), '[]'),
    'cells', coalesce((
      select json_agg(json_build_array(ro.idx, u.idx, ur.assignments_counted, ur.criteria_rated, ur.average_rating,
        ur.working_level, ur.last_feedback_at, ur.source_version) order by ro.idx, u.idx)
      from unit_rows ur
      join roster ro on ro.id = ur.pupil_id
      join page_units u on u.id = ur.unit_id), '[]')
  )
  from grp g
$$;
comment on function public.reports_group_page(uuid, boolean) is
  '/reports/groups/[groupId] in one call: group, bands, units, assignments, pupils and cells as compact arrays '
  '(see migration 20261122090000); null when the caller may not read the group. p_live computes cells and summaries now.';
revoke execute on function public.reports_group_page(uuid, boolean) from public, anon;
grant execute on function public.reports_group_page(uuid, boolean) to authenticated, service_role;
