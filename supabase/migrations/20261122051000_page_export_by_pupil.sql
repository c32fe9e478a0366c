-- The CSV export's keyset page, amended: page by (group, pupil) rather than by row.
--
-- The row-keyed version (20261122050000) let the planner hash-join and sort every row
-- after the cursor on each page (~0.5 s per page at 100,000 rows, so O(n²) overall). Here a
-- page is the next p_limit (group, pupil) pairs after the cursor that have cached rows,
-- read from group_pupils' primary key in order (an index range scan that stops at the
-- limit), each joined LEFT LATERAL to its own unit rows through report_pupil_unit_summaries'
-- primary key: every page costs O(page). A pupil with no cached rows yields one row whose
-- unit columns are null (the caller skips it but moves its cursor past it; filtering such
-- pupils out in SQL cost a second probe per pupil). A
-- pupil's rows never straddle two pages, so the cursor is the last (group_id, pupil_id)
-- returned and an empty page is the end.
-- The nil uuid is the "before everything" cursor (gen_random_uuid never returns it).

drop function public.reports_export_page(uuid, uuid, uuid, uuid, uuid, int4);

create function public.reports_export_page(
  p_group_id uuid default null,
  p_department_id uuid default null,
  p_after_group_id uuid default null,
  p_after_pupil_id uuid default null,
  p_limit int4 default 500
)
returns table (
  group_id uuid, group_name text, pupil_id uuid, last_name text, first_name text, unit_id uuid, unit_name text,
  assignments_counted int4, criteria_rated int4, average_rating numeric(4, 2), working_level text,
  last_feedback_at timestamptz, source_version bigint
)
language sql stable security invoker set search_path = ''
-- The policy on report_pupil_unit_summaries (group_ids && readable groups) is estimated so
-- selective that the planner ANDs its GIN index into every per-pupil probe, reading the whole
-- index each time (~6 ms per pupil); the primary-key probe alone reads ~10 rows.
set enable_bitmapscan = off
as $$
  select g.id, g.name, p.id, p.last_name, p.first_name, r.unit_id, u.name, r.assignments_counted,
    r.criteria_rated, r.average_rating, r.working_level, r.last_feedback_at, r.source_version
  from (
    select gp.group_id, gp.pupil_id
    from public.group_pupils gp
    where (p_group_id is null or gp.group_id = p_group_id)
      and (p_department_id is null
        or gp.group_id in (select d.id from public.groups d where d.department_id = p_department_id))
      and (gp.group_id, gp.pupil_id) > (coalesce(p_after_group_id, '00000000-0000-0000-0000-000000000000'::uuid),
                                        coalesce(p_after_pupil_id, '00000000-0000-0000-0000-000000000000'::uuid))
    order by gp.group_id, gp.pupil_id
    limit least(greatest(p_limit, 1), 2000)
  ) page
  join public.groups g on g.id = page.group_id
  join public.pupils p on p.id = page.pupil_id
  left join lateral (
    select x.unit_id, x.assignments_counted, x.criteria_rated, x.average_rating, x.working_level,
      x.last_feedback_at, x.source_version
    from public.report_pupil_unit_summaries x
    where x.pupil_id = page.pupil_id and page.group_id = any (x.group_ids)
  ) r on true
  left join public.units u on u.id = r.unit_id
  order by page.group_id, page.pupil_id, r.unit_id
$$;
comment on function public.reports_export_page(uuid, uuid, uuid, uuid, int4) is
  'CSV export: the cached unit summaries of the next p_limit (group, pupil) pairs after the cursor that the '
  'caller may read, optionally one group or one department, ordered (group_id, pupil_id, unit_id); a pupil '
  'without rows gives one row with null unit columns. Pass the last (group_id, pupil_id); empty page = end.';

revoke execute on function public.reports_export_page(uuid, uuid, uuid, uuid, int4) from public, anon;
grant execute on function public.reports_export_page(uuid, uuid, uuid, uuid, int4) to authenticated, service_role;
