-- reports_group_page, second version: the cells as parallel arrays (one per column) instead
-- of one tuple per cell, and PL/pgSQL instead of SQL so its plan is cached.
--
-- Why (large seed, a 120 × 12 group, measured on the real `next start`):
--   * As a LANGUAGE sql function that is not inlined, PostgreSQL 17 plans its query on every
--     call: 3.0 ms of planning for 9.5 ms of execution. PL/pgSQL prepares the query once per
--     connection and reuses the plan (PostgreSQL 18 caches SQL functions' plans too).
--   * The cells leave out last_feedback_at: the group page does not show it, and its 1,440
--     timestamps were a third of the page's data (the pupil page, which shows it, keeps it).
--   * Each cell was a json_build_array tuple that the app then validated and copied tuple by
--     tuple (zod, ~5 MB of garbage per page request, a third of all the page allocated), turned
--     into objects and back into tuples for the browser. Column arrays are validated in one
--     loop each and handed to the browser's store as they are (lib/reports/group-page.ts).
--
-- What it returns: as migration 20261122090000 says, except
--     "cells": { "pupil": [pupil_index, …], "unit": [unit_index, …],
--                "assignments_counted": […], "criteria_rated": […], "average_rating": […],
--                "working_level": […], "source_version": […] }
--   all equally long, cell k being the k-th element of each, ordered by pupil then unit.
-- Access is unchanged: the same definer, the same single "may the caller read this group" check
-- (see 20261122090000 for why that check covers every policy involved).
create or replace function public.reports_group_page(p_group_id uuid, p_live boolean default false)
returns json
language plpgsql stable security definer set search_path = '' as $$
begin
  return (
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
        -- One array per column, every aggregate in the same order (one sort): the parallel
        -- arrays are what the browser's store receives, so no row tuple is built here or parsed there.
        'cells', (
          select json_build_object(
            'pupil', coalesce(json_agg(ro.idx order by ro.idx, u.idx), '[]'),
            'unit', coalesce(json_agg(u.idx order by ro.idx, u.idx), '[]'),
            'assignments_counted', coalesce(json_agg(ur.assignments_counted order by ro.idx, u.idx), '[]'),
            'criteria_rated', coalesce(json_agg(ur.criteria_rated order by ro.idx, u.idx), '[]'),
            'average_rating', coalesce(json_agg(ur.average_rating order by ro.idx, u.idx), '[]'),
            'working_level', coalesce(json_agg(ur.working_level order by ro.idx, u.idx), '[]'),
                'source_version', coalesce(json_agg(ur.source_version order by ro.idx, u.idx), '[]'))
          from unit_rows ur
          join roster ro on ro.id = ur.pupil_id
          join page_units u on u.id = ur.unit_id)
      )
      from grp g
  );
end
$$;
comment on function public.reports_group_page(uuid, boolean) is
  '/reports/groups/[groupId] in one call: group, bands, units, assignments, pupils as compact arrays and cells as '
  'parallel column arrays (see migrations 20261122090000, 20261123090000); null when the caller may not read the group. '
  'p_live computes cells and summaries now.';
