-- reports_overview_group_stats: what /reports shows per group (its working-level counts and
-- average over its pupils' (pupil, unit) summaries), aggregated in the database, so the
-- overview no longer ships every cached unit row to the browser.
--
-- Why: the overview loaded every unit row the viewer may read and aggregated them in the
-- browser. For an admin of the large seed that is ~43,000 rows; with the 10,000-pupil export
-- cohort added, 113,000 rows: a 12.7 MB page taking 5 s, and the Next server's RSS peaked at
-- 523 MB (heap capped at 384 MB). The groups table needs a handful of numbers per group.
--
-- One row per (group, working level) with rows in it:
--   rows_counted         (pupil, unit) summaries at that level;
--   criteria_rated       the rated cells behind them;
--   weighted_hundredths  sum of average_rating × 100 × criteria_rated: an exact integer, so the
--                        app's weighted average, round(weighted_hundredths / criteria_rated) / 100,
--                        is the same integer maths it applies to unit rows on the group page.
-- A group counts the rows its current pupils' summaries carry it in (group_id = any(group_ids)),
-- as the overview's selector did. Invoker: RLS decides which groups (group_pupils) and rows
-- (report_pupil_unit_summaries) count, exactly as for the rows the overview loaded before.
-- p_group_ids: only these groups (the overview's refresh after a live change); null = all.
-- p_live: over the rows computed now (reports_visible_unit_rows_on_demand, REPORTS_SOURCE=live).
create or replace function public.reports_overview_group_stats(p_group_ids uuid[] default null, p_live boolean default false)
returns table (group_id uuid, working_level text, rows_counted int4, criteria_rated int8, weighted_hundredths int8)
language sql stable security invoker set search_path = '' as $$
  with
  unit_rows as (
    select r.pupil_id, r.group_ids, r.working_level, r.criteria_rated, r.average_rating
    from public.report_pupil_unit_summaries r
    where not p_live and (p_group_ids is null or r.group_ids && p_group_ids)
    union all
    select r.pupil_id, r.group_ids, r.working_level, r.criteria_rated, r.average_rating
    from public.reports_visible_unit_rows_on_demand() r
    where p_live and (p_group_ids is null or r.group_ids && p_group_ids)
  )
  select gp.group_id, r.working_level, count(*)::int4, sum(r.criteria_rated)::int8,
    sum((r.average_rating * 100)::int8 * r.criteria_rated)::int8
  from unit_rows r
  join public.group_pupils gp on gp.pupil_id = r.pupil_id and gp.group_id = any (r.group_ids)
  where p_group_ids is null or gp.group_id = any (p_group_ids)
  group by gp.group_id, r.working_level
  order by gp.group_id, r.working_level
$$;
comment on function public.reports_overview_group_stats(uuid[], boolean) is
  '/reports: per readable group and working level, the count, rated cells and exact weighted sum (hundredths) of '
  'its pupils'' unit summaries (see migration 20261122094000). p_group_ids null = all; p_live = computed now.';
revoke execute on function public.reports_overview_group_stats(uuid[], boolean) from public, anon;
grant execute on function public.reports_overview_group_stats(uuid[], boolean) to authenticated, service_role;
