-- The per-(pupil, unit) and per-pupil report calculations without DISTINCT aggregates: sums
-- first, per assignment and per group, then per unit (and per pupil).
--
-- Why: count(distinct …) and array_agg(distinct …) make PostgreSQL sort every group's input
-- (about 70 feedback rows per pupil × unit; 840 per pupil); a full pass of the large seed's
-- 1,017,917 feedback rows spent most of its time there. Measured on the large seed
-- (1,300 pupils), creating a table from the view: unit rows 741–1,009 ms → 654–783 ms,
-- summary rows 503–660 ms → 297–321 ms. The empty-cache backfill and the rebuild read both
-- once; every recalculation reads them for one pupil.
--
-- Same columns, same rows (checked row for row on the large seed, EXCEPT ALL both ways, before
-- this migration): a pupil × unit's assignments_counted is the number of its assignments with
-- a rated cell (an assignment is in one group and one unit); group_ids the groups with a rated
-- cell; the average is Σ ratings / number of rated cells, which is what avg() computes, then
-- rounded the same way; units_counted the units with a rated cell. The HAVING clauses keep
-- only pupils × units (pupils) with a rated cell, so no division by zero. The other views and
-- every function that reads these are unchanged; grants are kept by CREATE OR REPLACE.
create or replace view private.report_unit_rows with (security_invoker = true) as
  with per_assignment as (
    select f.pupil_id, f.assignment_id, count(f.rating) as rated, sum(f.rating) as rating_sum,
      max(f.updated_at) as last_feedback_at, max(f.version) as source_version
    from public.feedback f
    group by f.pupil_id, f.assignment_id
  ),
  per_group as (
    select pa.pupil_id, a.unit_id, a.group_id,
      count(*) filter (where pa.rated > 0) as assignments_rated,
      sum(pa.rated) as rated, sum(pa.rating_sum) as rating_sum,
      max(pa.last_feedback_at) as last_feedback_at, max(pa.source_version) as source_version
    from per_assignment pa
    join public.assignments a on a.id = pa.assignment_id
    group by pa.pupil_id, a.unit_id, a.group_id
  )
  select pg.pupil_id, pg.unit_id,
    array_agg(pg.group_id order by pg.group_id) filter (where pg.rated > 0) as group_ids,
    sum(pg.assignments_rated)::int4 as assignments_counted,
    sum(pg.rated)::int4 as criteria_rated,
    round(sum(pg.rating_sum)::numeric / sum(pg.rated), 2)::numeric(4, 2) as average_rating,
    public.working_level(round(sum(pg.rating_sum)::numeric / sum(pg.rated), 2)) as working_level,
    max(pg.last_feedback_at) as last_feedback_at,
    max(pg.source_version) as source_version
  from per_group pg
  group by pg.pupil_id, pg.unit_id
  having sum(pg.rated) > 0;
comment on view private.report_unit_rows is
  'THE per-(pupil, unit) report calculation: read by reports_prepared_dataset (on demand) and by the '
  'recalculation procedures (cache). Filter on pupil_id; it is pushed down to the feedback index.';

create or replace view private.report_summary_rows with (security_invoker = true) as
  with per_unit as (
    select f.pupil_id, a.unit_id, count(f.rating) as rated, sum(f.rating) as rating_sum,
      max(f.updated_at) as last_feedback_at, max(f.version) as source_version
    from public.feedback f
    join public.assignments a on a.id = f.assignment_id
    group by f.pupil_id, a.unit_id
  )
  select pu.pupil_id,
    (count(*) filter (where pu.rated > 0))::int4 as units_counted,
    sum(pu.rated)::int4 as criteria_rated,
    round(sum(pu.rating_sum)::numeric / sum(pu.rated), 2)::numeric(4, 2) as overall_average,
    public.working_level(round(sum(pu.rating_sum)::numeric / sum(pu.rated), 2)) as working_level,
    max(pu.last_feedback_at) as last_feedback_at,
    max(pu.source_version) as source_version
  from per_unit pu
  group by pu.pupil_id
  having sum(pu.rated) > 0;
comment on view private.report_summary_rows is
  'THE per-pupil overall report calculation (all rated cells): read by reports_prepared_summary and the recalculation.';
