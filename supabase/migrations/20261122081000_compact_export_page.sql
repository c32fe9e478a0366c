-- The CSV export's page as ONE compact json value, replacing reports_export_page (20261122051000).
--
-- Why: at 100,000 rows the export spent most of its time moving keyed JSON, not reading rows.
-- Per 10,000-row page reports_export_page's table result became ~4.3 MB of json_agg objects (the
-- group name, pupil names and unit name repeated on every row, every key on every row), which the
-- gateway sent, supabase-js parsed into 10,000 objects and zod checked one object at a time.
-- This function returns the same page as columns: each group, unit, pupil and working level once
-- per page, and per row only numbers: indexes into those lists and the row's own values, ~0.4 MB
-- per 10,000 rows. Numbers, not text, because a parsed page stays in the server's memory while it
-- is written: 10,000 rows of number arrays are ~0.75 MB of JavaScript heap, the same rows with
-- per-row strings (formatted timestamps and averages, level names) ~1.6 MB, and at 100,000 rows
-- that long-lived data is what V8 promotes into its old generation. average_rating is sent in
-- hundredths (numeric(4,2) × 100, exact) and last_feedback_at in epoch milliseconds (truncated,
-- as JavaScript's Date keeps it), both formatted by the server as it writes the line.
--
--   {
--     "groups": {"id": [uuid…], "name": [text…]},                      page order (by id)
--     "units":  {"id": [uuid…], "name": [text…]},                      by id
--     "pupils": {"group": [group index…], "id": [uuid…],               (group, pupil) order
--                "last_name": [text…], "first_name": [text…]},
--     "levels": [text…],                                                working levels, sorted
--     "rows":   {"pupil": [pupil index…], "unit": [unit index…],       (group, pupil, unit) order
--                "assignments_counted": [int…], "criteria_rated": [int…],
--                "average_rating_hundredths": [int…], "working_level": [level index…],
--                "last_feedback_at_ms": [int8…], "source_version": [int8…]},
--     "next":   {"group_id": uuid, "pupil_id": uuid} | null             null: this was the last page
--   }
--
-- Paging and RLS are unchanged: a page is the next p_limit (group, pupil) pairs after the cursor
-- from group_pupils' primary key (an index range scan that stops at the limit, clamped to 1..2000),
-- each pupil's unit rows read through report_pupil_unit_summaries' primary key, everything as the
-- caller (security invoker), so RLS on group_pupils, groups, pupils, report_pupil_unit_summaries
-- and units decides what is returned, exactly as before. A pupil's rows never straddle two pages.
-- A pupil without cached rows is listed in "pupils" with no rows (the CSV skips it), which keeps
-- one probe per pupil. "next" is the page's last (group_id, pupil_id) when the page is full and
-- null otherwise, so the caller needs no extra round trip to find the end (the old function
-- needed an empty page). The nil uuid is the "before everything" cursor (gen_random_uuid never
-- returns it).

drop function public.reports_export_page(uuid, uuid, uuid, uuid, int4);

create function public.reports_export_page_compact(
  p_group_id uuid default null,
  p_department_id uuid default null,
  p_after_group_id uuid default null,
  p_after_pupil_id uuid default null,
  p_limit int4 default 1000
)
returns json
language sql stable security invoker set search_path = ''
-- As in 20261122051000: the policy on report_pupil_unit_summaries (group_ids && readable groups)
-- is estimated so selective that the planner would AND its GIN index into every per-pupil probe.
set enable_bitmapscan = off
as $$
  with page as materialized (
    select gp.group_id, gp.pupil_id
    from public.group_pupils gp
    where (p_group_id is null or gp.group_id = p_group_id)
      and (p_department_id is null
        or gp.group_id in (select d.id from public.groups d where d.department_id = p_department_id))
      and (gp.group_id, gp.pupil_id) > (coalesce(p_after_group_id, '00000000-0000-0000-0000-000000000000'::uuid),
                                        coalesce(p_after_pupil_id, '00000000-0000-0000-0000-000000000000'::uuid))
    order by gp.group_id, gp.pupil_id
    limit least(greatest(p_limit, 1), 2000)
  ),
  -- The groups of the page (RLS on groups), numbered in id order: "pupils"."group" points here.
  page_groups as materialized (
    select (row_number() over (order by g.id) - 1)::int4 as gi, g.id, g.name
    from public.groups g
    where g.id in (select page.group_id from page)
  ),
  -- The page's pupils (RLS on pupils), numbered in (group, pupil) order: "rows"."pupil" points here.
  page_pupils as materialized (
    select (row_number() over (order by page.group_id, page.pupil_id) - 1)::int4 as pi, pg.gi,
      page.group_id, page.pupil_id, p.last_name, p.first_name
    from page
    join page_groups pg on pg.id = page.group_id
    join public.pupils p on p.id = page.pupil_id
  ),
  page_rows as materialized (
    select pp.pi, x.unit_id, x.assignments_counted, x.criteria_rated, x.average_rating, x.working_level,
      x.last_feedback_at, x.source_version
    from page_pupils pp
    join lateral (
      select y.unit_id, y.assignments_counted, y.criteria_rated, y.average_rating, y.working_level,
        y.last_feedback_at, y.source_version
      from public.report_pupil_unit_summaries y
      where y.pupil_id = pp.pupil_id and pp.group_id = any (y.group_ids)
      -- A fence: keeps this a primary-key probe per pupil. Flattened, the planner hash-joins a
      -- sequential scan of the whole cache table (~70 ms at 140,000 rows, against ~1 µs a probe).
      offset 0
    ) x on true
  ),
  -- The units of the page's rows, numbered in id order: "rows"."unit" points here. A unit the
  -- caller cannot read has a null name, which the caller rejects (as the row-shaped page did).
  page_units as materialized (
    select (row_number() over (order by k.unit_id) - 1)::int4 as ui, k.unit_id, u.name
    from (select distinct r.unit_id from page_rows r) k
    left join public.units u on u.id = k.unit_id
  ),
  -- The working levels of the page's rows, sorted: "rows"."working_level" points here.
  page_levels as materialized (
    select (row_number() over (order by k.working_level) - 1)::int4 as li, k.working_level
    from (select distinct r.working_level from page_rows r) k
  )
  select json_build_object(
    'groups', (
      select json_build_object(
        'id', coalesce(array_to_json(array_agg(g.id order by g.gi)), '[]'),
        'name', coalesce(array_to_json(array_agg(g.name order by g.gi)), '[]'))
      from page_groups g),
    'units', (
      select json_build_object(
        'id', coalesce(array_to_json(array_agg(u.unit_id order by u.ui)), '[]'),
        'name', coalesce(array_to_json(array_agg(u.name order by u.ui)), '[]'))
      from page_units u),
    'pupils', (
      select json_build_object(
        'group', coalesce(array_to_json(array_agg(p.gi order by p.pi)), '[]'),
        'id', coalesce(array_to_json(array_agg(p.pupil_id order by p.pi)), '[]'),
        'last_name', coalesce(array_to_json(array_agg(p.last_name order by p.pi)), '[]'),
        'first_name', coalesce(array_to_json(array_agg(p.first_name order by p.pi)), '[]'))
      from page_pupils p),
    'levels', (select coalesce(array_to_json(array_agg(l.working_level order by l.li)), '[]') from page_levels l),
    -- unit index order = unit_id order, so (pi, ui) is the (group, pupil, unit) order.
    'rows', (
      select json_build_object(
        'pupil', coalesce(array_to_json(array_agg(r.pi order by r.pi, u.ui)), '[]'),
        'unit', coalesce(array_to_json(array_agg(u.ui order by r.pi, u.ui)), '[]'),
        'assignments_counted', coalesce(array_to_json(array_agg(r.assignments_counted order by r.pi, u.ui)), '[]'),
        'criteria_rated', coalesce(array_to_json(array_agg(r.criteria_rated order by r.pi, u.ui)), '[]'),
        'average_rating_hundredths', coalesce(array_to_json(array_agg((r.average_rating * 100)::int4 order by r.pi, u.ui)), '[]'),
        'working_level', coalesce(array_to_json(array_agg(l.li order by r.pi, u.ui)), '[]'),
        'last_feedback_at_ms', coalesce(array_to_json(array_agg(
          (extract(epoch from date_trunc('milliseconds', r.last_feedback_at)) * 1000)::int8 order by r.pi, u.ui)), '[]'),
        'source_version', coalesce(array_to_json(array_agg(r.source_version order by r.pi, u.ui)), '[]'))
      from page_rows r
      join page_units u on u.unit_id = r.unit_id
      join page_levels l on l.working_level = r.working_level),
    'next', (
      select json_build_object('group_id', l.group_id, 'pupil_id', l.pupil_id)
      from (select page.group_id, page.pupil_id from page order by page.group_id desc, page.pupil_id desc limit 1) l
      where (select count(*) from page) = least(greatest(p_limit, 1), 2000))
  )
$$;
comment on function public.reports_export_page_compact(uuid, uuid, uuid, uuid, int4) is
  'CSV export: the cached unit summaries of the next p_limit (1..2000) (group, pupil) pairs after the cursor '
  'that the caller may read, optionally one group or one department, as one compact json value: groups, units, '
  'pupils and working levels once, rows as parallel arrays of numbers in (group, pupil, unit) order, and the '
  'next cursor (null after the last page). Shape in migration 20261122081000; parsed by lib/reports/export/export-page.ts.';

revoke execute on function public.reports_export_page_compact(uuid, uuid, uuid, uuid, int4) from public, anon;
grant execute on function public.reports_export_page_compact(uuid, uuid, uuid, uuid, int4) to authenticated, service_role;
