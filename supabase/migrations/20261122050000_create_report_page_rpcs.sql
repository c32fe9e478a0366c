-- The live report pages' reads beyond the unit rows (reports_pupil_units / reports_group_units)
-- and the streamed CSV export. All run as the caller (security invoker), so RLS decides what
-- each user sees; all are one round trip, from the cached tables.
--
--   reports_visible_pupils    — pupils in scope (one group, one pupil, or everyone readable)
--                               with their groups, cached overall summary and the highest
--                               feedback version, so a page can say "recalculating" when
--                               feedback is newer than the cache;
--   reports_visible_unit_rows — every cached (pupil, unit) row the caller may read (/reports);
--   reports_group_assignments — a group's assignments with their units (filters: unit, dates);
--   reports_pupil_criteria    — a pupil's latest rating per success criterion (feedback cache);
--   reports_export_page       — one keyset page of the CSV export (group, pupil, unit order).

create function public.reports_visible_pupils(p_group_id uuid default null, p_pupil_id uuid default null)
returns table (
  pupil_id uuid, first_name text, last_name text, group_ids uuid[], overall_average numeric(4, 2),
  working_level text, cached_version bigint, feedback_version bigint
)
language sql stable security invoker set search_path = '' as $$
  select p.id, p.first_name, p.last_name,
    array_agg(gp.group_id order by gp.group_id),
    s.overall_average, s.working_level, s.source_version,
    -- Only feedback that will leave a cache row to wait for: with nothing cached and nothing
    -- rated (every cell cleared), there is nothing to recalculate.
    case when s.pupil_id is not null or exists (
      select 1 from public.feedback f where f.pupil_id = p.id and f.rating is not null
    ) then (select max(f.version) from public.feedback f where f.pupil_id = p.id) end
  from public.pupils p
  join public.group_pupils gp on gp.pupil_id = p.id
  left join public.report_pupil_summary s on s.pupil_id = p.id
  where (p_group_id is null or p.id in (select x.pupil_id from public.group_pupils x where x.group_id = p_group_id))
    and (p_pupil_id is null or p.id = p_pupil_id)
  group by p.id, p.first_name, p.last_name, s.pupil_id, s.overall_average, s.working_level, s.source_version
  order by p.last_name, p.first_name, p.id
$$;
comment on function public.reports_visible_pupils(uuid, uuid) is
  'Report pages: readable pupils (of one group / one pupil / all) with their readable groups, cached overall '
  'summary (cached_version = its source_version) and feedback_version = the highest feedback version '
  '(null when nothing is cached and nothing rated).';

create function public.reports_visible_unit_rows()
returns table (
  pupil_id uuid, unit_id uuid, group_ids uuid[], assignments_counted int4, criteria_rated int4,
  average_rating numeric(4, 2), working_level text, last_feedback_at timestamptz, source_version bigint
)
language sql stable security invoker set search_path = '' as $$
  select r.pupil_id, r.unit_id, r.group_ids, r.assignments_counted, r.criteria_rated, r.average_rating,
    r.working_level, r.last_feedback_at, r.source_version
  from public.report_pupil_unit_summaries r
  order by r.pupil_id, r.unit_id
$$;
comment on function public.reports_visible_unit_rows() is
  '/reports: every cached (pupil, unit) summary the caller may read (RLS: fed by a readable group).';

create function public.reports_group_assignments(p_group_id uuid)
returns table (
  assignment_id uuid, unit_id uuid, unit_name text, unit_position int2, title text, set_on date, due_on date
)
language sql stable security invoker set search_path = '' as $$
  select a.id, a.unit_id, u.name, u.position, a.title, a.set_on, a.due_on
  from public.assignments a
  join public.units u on u.id = a.unit_id
  where a.group_id = p_group_id
  order by u.position, u.name, a.set_on, a.id
$$;
comment on function public.reports_group_assignments(uuid) is
  '/reports/groups/[groupId]: the group''s assignments and units, for the unit and date-range filters.';

create function public.reports_pupil_criteria(p_pupil_id uuid)
returns table (
  success_criterion_id uuid, unit_id uuid, unit_name text, unit_position int2, criterion_position int2,
  description text, group_id uuid, rating int2, version bigint, updated_at timestamptz
)
language sql stable security invoker set search_path = '' as $$
  select c.success_criterion_id, c.unit_id, u.name, u.position, sc.position, sc.description, c.group_id,
    c.rating, c.version, c.updated_at
  from public.report_pupil_feedback_cache c
  join public.success_criteria sc on sc.id = c.success_criterion_id
  join public.units u on u.id = c.unit_id
  where c.pupil_id = p_pupil_id
  order by u.position, u.name, sc.position
$$;
comment on function public.reports_pupil_criteria(uuid) is
  '/reports/[pupilId]: latest rating per success criterion from the feedback cache, with descriptions.';

-- Keyset pagination: rows ordered by (group_id, pupil_id, unit_id); the caller passes the
-- last key it wrote. The row comparison on (group_id, pupil_id) is an index condition on
-- group_pupils' primary key, and report_pupil_unit_summaries' primary key (pupil_id,
-- unit_id) returns each pupil's units in order, so every page costs O(limit).
create function public.reports_export_page(
  p_group_id uuid default null,
  p_department_id uuid default null,
  p_after_group_id uuid default null,
  p_after_pupil_id uuid default null,
  p_after_unit_id uuid default null,
  p_limit int4 default 2000
)
returns table (
  group_id uuid, group_name text, pupil_id uuid, last_name text, first_name text, unit_id uuid, unit_name text,
  assignments_counted int4, criteria_rated int4, average_rating numeric(4, 2), working_level text,
  last_feedback_at timestamptz, source_version bigint
)
language sql stable security invoker set search_path = '' as $$
  select g.id, g.name, p.id, p.last_name, p.first_name, r.unit_id, u.name, r.assignments_counted,
    r.criteria_rated, r.average_rating, r.working_level, r.last_feedback_at, r.source_version
  from public.group_pupils gp
  join public.groups g on g.id = gp.group_id
  join public.pupils p on p.id = gp.pupil_id
  join public.report_pupil_unit_summaries r on r.pupil_id = gp.pupil_id and gp.group_id = any (r.group_ids)
  join public.units u on u.id = r.unit_id
  where (p_group_id is null or gp.group_id = p_group_id)
    and (p_department_id is null or g.department_id = p_department_id)
    and (gp.group_id, gp.pupil_id) >= (coalesce(p_after_group_id, '00000000-0000-0000-0000-000000000000'::uuid),
                                       coalesce(p_after_pupil_id, '00000000-0000-0000-0000-000000000000'::uuid))
    and (p_after_group_id is null
      or (gp.group_id, gp.pupil_id) > (p_after_group_id, p_after_pupil_id)
      or r.unit_id > p_after_unit_id)
  order by gp.group_id, gp.pupil_id, r.unit_id
  limit least(greatest(p_limit, 1), 10000)
$$;
comment on function public.reports_export_page(uuid, uuid, uuid, uuid, uuid, int4) is
  'CSV export: one keyset page of (group, pupil, unit) cached summaries the caller may read, optionally one '
  'group or one department; pass the last (group_id, pupil_id, unit_id) written to get the next page.';

revoke execute on function public.reports_visible_pupils(uuid, uuid), public.reports_visible_unit_rows(),
  public.reports_group_assignments(uuid), public.reports_pupil_criteria(uuid),
  public.reports_export_page(uuid, uuid, uuid, uuid, uuid, int4)
  from public, anon;
grant execute on function public.reports_visible_pupils(uuid, uuid), public.reports_visible_unit_rows(),
  public.reports_group_assignments(uuid), public.reports_pupil_criteria(uuid),
  public.reports_export_page(uuid, uuid, uuid, uuid, uuid, int4)
  to authenticated, service_role;
