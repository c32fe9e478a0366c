-- private.report_criteria_rows: pick each (pupil, criterion)'s latest rating first, then look
-- up its assignment's unit and group.
--
-- Why: the view joined every rated feedback row to its assignment before DISTINCT ON kept one
-- row per (pupil, success criterion). On the large seed that is 1,017,917 joins for 259,896
-- rows kept; joining after the pick does a quarter of them. Full pass (the empty-cache
-- backfill and the rebuild read it once each): 920–980 ms → 710–750 ms on the large seed.
-- A single pupil's recalculation reads it too (~840 rows → ~216 joins).
--
-- Same columns, same rows: the join is on the feedback → assignments foreign key, so it
-- neither adds nor removes feedback rows, and DISTINCT ON picks by the globally unique
-- version either way. Grants on the view are kept by CREATE OR REPLACE.
create or replace view private.report_criteria_rows with (security_invoker = true) as
  select latest.pupil_id, latest.success_criterion_id, a.unit_id, a.group_id, latest.assignment_id, latest.rating,
    latest.version, latest.updated_at
  from (
    select distinct on (f.pupil_id, f.success_criterion_id)
      f.pupil_id, f.success_criterion_id, f.assignment_id, f.rating, f.version, f.updated_at
    from public.feedback f
    where f.rating is not null
    order by f.pupil_id, f.success_criterion_id, f.version desc
  ) latest
  join public.assignments a on a.id = latest.assignment_id;
comment on view private.report_criteria_rows is
  'THE latest non-null rating per (pupil, success criterion): read by reports_prepared_criteria and the recalculation.';
