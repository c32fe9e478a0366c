-- Speed up the report recalculation (issue 4, benchmark targets), without changing what it
-- computes or the signatures and return shapes callers use.
--
-- Before (specs/reports/cache.md, large seed: 1,200 pupils, ~958k feedback rows):
--   reports_recalculate_pupil p50/p95 9.2 / 11.2 ms; backfill 61 pupils/s (per-pupil calls).
-- After (scripts/bench-reports-cache.ts; latest and quietest of 7 runs on the shared 2-core machine):
--   reports_recalculate_pupil p50/p95 2.6 / 3.9 ms with the cache current, 2.6 / 4.1 ms after
--   one cell changed (p95 up to 12 ms in runs where the machine's load average was >= 4.8);
--   server-side ~2.0-2.3 ms. Full rebuild over a current cache 682 pupils/s (269-721); backfill
--   into EMPTY cache tables 192 pupils/s (97-192): bound by the cache tables' foreign-key
--   checks (~3 s of RI triggers for ~300k inserted rows), see specs/reports/cache.md.
--
-- What changed and why (sections below in this order):
--   1. working_level() / working_level_bands() lose their per-call search_path switch
--      (SQL-standard bodies instead; same bands, same results): 14.6 -> 3.3 us per call.
--   2. A covering index feedback (pupil_id) include (the columns the calculation reads):
--      the pupil's ~800 rows come from ~10 index pages instead of ~150 heap pages, and the
--      full rebuild reads them in pupil order. It replaces feedback_pupil_id_idx (same
--      leading column; FK cascades and policies use it the same way). Cost: feedback updates
--      change included columns, so they are no longer HOT updates (one extra index write
--      per marking click; measured 33-81 us vs 34-69 us per single-row UPDATE, noise-level).
--   3. The calculation is defined once, as three security-invoker views in `private`
--      (report_unit_rows, report_summary_rows, report_criteria_rows), with exactly the
--      expressions reports_prepared_* used. reports_prepared_* now read those views for one
--      pupil, reports_recalculate_pupil reads them for one pupil and reports_recalculate_all
--      for every pupil at once: one calculation, so cache and on-demand cannot drift. Views
--      (unlike functions with `set search_path`) are inlined, so the pupil filter reaches
--      the feedback index and the full rebuild is one set-based aggregation.
--   4. Compare-and-skip without locking: the old procedure upserted every computed row with
--      ON CONFLICT DO UPDATE ... WHERE distinct, which locks (dirties) every conflicting
--      row even when nothing changed (253 tuple locks per pupil per call). Now each table is
--      diffed against the cached rows with a full join; only inserted, changed and vanished
--      rows are written. Unchanged rows are not touched (no Realtime noise, no WAL).
--   5. reports_recalculate_all is set-based: the same diff over all pupils, three
--      statements, instead of one procedure call per pupil.
--
-- Concurrency (unchanged guarantees): reports_recalculate_pupil still serialises per pupil
-- on the same advisory lock key, and each statement after the lock reads a snapshot taken
-- after the previous holder committed, so results only move forward; source_version is
-- still greatest(old, new) on update. reports_recalculate_all takes an exclusive
-- transaction advisory lock that every reports_recalculate_pupil takes shared, so a full
-- rebuild never interleaves with a per-pupil recalculation (either could otherwise write
-- rows computed from an older snapshot than the other's).

-- ---------------------------------------------------------------------------------------
-- 1. The working-level rule, same bands and results, without a per-call search_path
-- switch. `set search_path = ''` on these two made every call save/restore the GUC and
-- re-derive the search path: 14.6 us per call, measured, i.e. ~0.55 ms of each pupil
-- recalculation (37 calls) and ~0.65 s of a full rebuild (~44,700 calls). SQL-standard
-- bodies (begin atomic / return) are parsed and bound when created, so no name in them is
-- ever resolved through the caller's search_path and the SET clause is not needed: 3.3 us
-- per call. Grants are kept by create or replace.

create or replace function public.working_level_bands()
returns table (working_level text, label text, min_average numeric, max_average numeric)
language sql immutable
begin atomic
  select v.working_level, v.label, v.min_average, v.max_average
  from (values
    ('not_yet', 'Not yet', 0.00, 0.50),
    ('working_towards', 'Working towards', 0.50, 1.50),
    ('secure', 'Secure', 1.50, 2.50),
    ('exceeding', 'Exceeding', 2.50, 3.01)
  ) as v (working_level, label, min_average, max_average);
end;

create or replace function public.working_level(p_average numeric)
returns text
language sql immutable
return (
  select b.working_level from public.working_level_bands() b
  where p_average >= b.min_average and p_average < b.max_average
);

-- ---------------------------------------------------------------------------------------
-- 2. Covering index for the calculation's one read of a pupil's feedback.

create index if not exists feedback_pupil_id_covering_idx on public.feedback (pupil_id)
  include (assignment_id, success_criterion_id, rating, version, updated_at);
comment on index public.feedback_pupil_id_covering_idx is
  'Report calculation: a pupil''s feedback by index-only scan. Replaces feedback_pupil_id_idx.';
drop index if exists public.feedback_pupil_id_idx;

-- Assignment -> (unit, group) without visiting the heap, for the per-pupil join.
create index if not exists assignments_id_unit_group_idx on public.assignments (id) include (unit_id, group_id);
comment on index public.assignments_id_unit_group_idx is
  'Report calculation: assignment -> unit and group by index-only lookup.';

-- ---------------------------------------------------------------------------------------
-- 3. The calculation, once. security_invoker: a user sees only what RLS lets them read
-- (as reports_prepared_* always did); service_role (the worker) sees everything. In
-- `private`, so the API does not expose them as endpoints.

create view private.report_unit_rows with (security_invoker = true) as
  select
    f.pupil_id,
    a.unit_id,
    array_agg(distinct a.group_id order by a.group_id) filter (where f.rating is not null) as group_ids,
    (count(distinct f.assignment_id) filter (where f.rating is not null))::int4 as assignments_counted,
    count(f.rating)::int4 as criteria_rated,
    round(avg(f.rating), 2)::numeric(4, 2) as average_rating,
    public.working_level(round(avg(f.rating), 2)) as working_level,
    max(f.updated_at) as last_feedback_at,
    max(f.version) as source_version
  from public.feedback f
  join public.assignments a on a.id = f.assignment_id
  group by f.pupil_id, a.unit_id
  having count(f.rating) > 0;
comment on view private.report_unit_rows is
  'THE per-(pupil, unit) report calculation: read by reports_prepared_dataset (on demand) and by the '
  'recalculation procedures (cache). Filter on pupil_id; it is pushed down to the feedback index.';

create view private.report_summary_rows with (security_invoker = true) as
  select
    f.pupil_id,
    (count(distinct a.unit_id) filter (where f.rating is not null))::int4 as units_counted,
    count(f.rating)::int4 as criteria_rated,
    round(avg(f.rating), 2)::numeric(4, 2) as overall_average,
    public.working_level(round(avg(f.rating), 2)) as working_level,
    max(f.updated_at) as last_feedback_at,
    max(f.version) as source_version
  from public.feedback f
  join public.assignments a on a.id = f.assignment_id
  group by f.pupil_id
  having count(f.rating) > 0;
comment on view private.report_summary_rows is
  'THE per-pupil overall report calculation (all rated cells): read by reports_prepared_summary and the recalculation.';

create view private.report_criteria_rows with (security_invoker = true) as
  select distinct on (f.pupil_id, f.success_criterion_id)
    f.pupil_id, f.success_criterion_id, a.unit_id, a.group_id, f.assignment_id, f.rating, f.version, f.updated_at
  from public.feedback f
  join public.assignments a on a.id = f.assignment_id
  where f.rating is not null
  order by f.pupil_id, f.success_criterion_id, f.version desc;
comment on view private.report_criteria_rows is
  'THE latest non-null rating per (pupil, success criterion): read by reports_prepared_criteria and the recalculation.';

revoke all on private.report_unit_rows, private.report_summary_rows, private.report_criteria_rows
  from public, anon, authenticated, service_role;
grant select on private.report_unit_rows, private.report_summary_rows, private.report_criteria_rows
  to authenticated, service_role;

-- On demand: same signatures and rows as before, now from the shared views.

create or replace function public.reports_prepared_dataset(p_pupil_id uuid)
returns table (
  pupil_id uuid, unit_id uuid, group_ids uuid[], assignments_counted int4, criteria_rated int4,
  average_rating numeric(4, 2), working_level text, last_feedback_at timestamptz, source_version bigint
)
language sql stable security invoker set search_path = '' as $$
  select r.pupil_id, r.unit_id, r.group_ids, r.assignments_counted, r.criteria_rated, r.average_rating,
    r.working_level, r.last_feedback_at, r.source_version
  from private.report_unit_rows r
  where r.pupil_id = p_pupil_id
$$;

create or replace function public.reports_prepared_summary(p_pupil_id uuid)
returns table (
  pupil_id uuid, units_counted int4, criteria_rated int4, overall_average numeric(4, 2), working_level text,
  last_feedback_at timestamptz, source_version bigint
)
language sql stable security invoker set search_path = '' as $$
  select r.pupil_id, r.units_counted, r.criteria_rated, r.overall_average, r.working_level, r.last_feedback_at,
    r.source_version
  from private.report_summary_rows r
  where r.pupil_id = p_pupil_id
$$;

create or replace function public.reports_prepared_criteria(p_pupil_id uuid)
returns table (
  pupil_id uuid, success_criterion_id uuid, unit_id uuid, group_id uuid, assignment_id uuid, rating int2,
  version bigint, updated_at timestamptz
)
language sql stable security invoker set search_path = '' as $$
  select r.pupil_id, r.success_criterion_id, r.unit_id, r.group_id, r.assignment_id, r.rating, r.version, r.updated_at
  from private.report_criteria_rows r
  where r.pupil_id = p_pupil_id
$$;

-- ---------------------------------------------------------------------------------------
-- 4. One pupil: lock, then ONE statement (one snapshot) that diffs each cached table
-- against the calculation and writes only what differs.

-- The key every per-pupil recalculation holds shared and a full rebuild holds exclusive.
create or replace function private.reports_rebuild_lock_key()
returns bigint
language sql immutable
return pg_catalog.hashtextextended('reports_recalculate_all', 0);
comment on function private.reports_rebuild_lock_key() is
  'Advisory lock key: reports_recalculate_pupil holds it shared, reports_recalculate_all exclusive. '
  'SQL-standard body (bound at creation), so no search_path is needed (see section 1).';
revoke execute on function private.reports_rebuild_lock_key() from public, anon, authenticated;
grant execute on function private.reports_rebuild_lock_key() to service_role;

create or replace function public.reports_recalculate_pupil(p_pupil_id uuid)
returns table (
  units_written int4, units_deleted int4, summary_written int4, summary_deleted int4,
  criteria_written int4, criteria_deleted int4
)
language plpgsql volatile security invoker set search_path = '' as $$
begin
  -- Never interleave with a full rebuild (which holds this key exclusive).
  perform pg_catalog.pg_advisory_xact_lock_shared(private.reports_rebuild_lock_key());
  -- Serialise per pupil: concurrent recalculations of one pupil queue here; each then
  -- reads a snapshot taken after the previous one committed, so results only move forward.
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('reports_recalculate_pupil:' || p_pupil_id::text, 0));

  -- One statement = one snapshot for all three tables. *_diff holds only rows to write:
  -- new (o is null), vanished (n is null) or changed; unchanged rows are not touched.
  return query
  with
  u_diff as materialized (
    select coalesce(n.unit_id, o.unit_id) as unit_id, o.unit_id is null as is_new, n.unit_id is null as is_gone,
      n.group_ids, n.assignments_counted, n.criteria_rated, n.average_rating, n.working_level,
      n.last_feedback_at, n.source_version
    from (select * from private.report_unit_rows r where r.pupil_id = p_pupil_id) n
    full join (select * from public.report_pupil_unit_summaries t where t.pupil_id = p_pupil_id) o
      on o.unit_id = n.unit_id
    where n.unit_id is null or o.unit_id is null
      or (n.group_ids, n.assignments_counted, n.criteria_rated, n.average_rating, n.working_level,
          n.last_feedback_at, n.source_version)
        is distinct from (o.group_ids, o.assignments_counted, o.criteria_rated, o.average_rating, o.working_level,
          o.last_feedback_at, o.source_version)
  ),
  u_deleted as (
    delete from public.report_pupil_unit_summaries t using u_diff d
    where t.pupil_id = p_pupil_id and t.unit_id = d.unit_id and d.is_gone
    returning 1
  ),
  u_updated as (
    update public.report_pupil_unit_summaries t set
      group_ids = d.group_ids, assignments_counted = d.assignments_counted, criteria_rated = d.criteria_rated,
      average_rating = d.average_rating, working_level = d.working_level, last_feedback_at = d.last_feedback_at,
      source_version = greatest(t.source_version, d.source_version), computed_at = now()
    from u_diff d
    where t.pupil_id = p_pupil_id and t.unit_id = d.unit_id and not d.is_new and not d.is_gone
    returning 1
  ),
  u_inserted as (
    insert into public.report_pupil_unit_summaries (
      pupil_id, unit_id, group_ids, assignments_counted, criteria_rated, average_rating, working_level,
      last_feedback_at, source_version, computed_at
    )
    select p_pupil_id, d.unit_id, d.group_ids, d.assignments_counted, d.criteria_rated, d.average_rating,
      d.working_level, d.last_feedback_at, d.source_version, now()
    from u_diff d where d.is_new
    returning 1
  ),
  s_diff as materialized (
    select o.pupil_id is null as is_new, n.pupil_id is null as is_gone,
      n.units_counted, n.criteria_rated, n.overall_average, n.working_level, n.last_feedback_at, n.source_version
    from (select * from private.report_summary_rows r where r.pupil_id = p_pupil_id) n
    full join (select * from public.report_pupil_summary t where t.pupil_id = p_pupil_id) o
      on o.pupil_id = n.pupil_id
    where n.pupil_id is null or o.pupil_id is null
      or (n.units_counted, n.criteria_rated, n.overall_average, n.working_level, n.last_feedback_at, n.source_version)
        is distinct from (o.units_counted, o.criteria_rated, o.overall_average, o.working_level, o.last_feedback_at,
          o.source_version)
  ),
  s_deleted as (
    delete from public.report_pupil_summary t using s_diff d
    where t.pupil_id = p_pupil_id and d.is_gone
    returning 1
  ),
  s_updated as (
    update public.report_pupil_summary t set
      units_counted = d.units_counted, criteria_rated = d.criteria_rated, overall_average = d.overall_average,
      working_level = d.working_level, last_feedback_at = d.last_feedback_at,
      source_version = greatest(t.source_version, d.source_version), computed_at = now()
    from s_diff d
    where t.pupil_id = p_pupil_id and not d.is_new and not d.is_gone
    returning 1
  ),
  s_inserted as (
    insert into public.report_pupil_summary (
      pupil_id, units_counted, criteria_rated, overall_average, working_level, last_feedback_at, source_version,
      computed_at
    )
    select p_pupil_id, d.units_counted, d.criteria_rated, d.overall_average, d.working_level, d.last_feedback_at,
      d.source_version, now()
    from s_diff d where d.is_new
    returning 1
  ),
  c_diff as materialized (
    select coalesce(n.success_criterion_id, o.success_criterion_id) as success_criterion_id,
      o.success_criterion_id is null as is_new, n.success_criterion_id is null as is_gone,
      n.unit_id, n.group_id, n.assignment_id, n.rating, n.version, n.updated_at
    from (select * from private.report_criteria_rows r where r.pupil_id = p_pupil_id) n
    full join (select * from public.report_pupil_feedback_cache t where t.pupil_id = p_pupil_id) o
      on o.success_criterion_id = n.success_criterion_id
    where n.success_criterion_id is null or o.success_criterion_id is null
      or (n.unit_id, n.group_id, n.assignment_id, n.rating, n.version, n.updated_at)
        is distinct from (o.unit_id, o.group_id, o.assignment_id, o.rating, o.version, o.updated_at)
  ),
  c_deleted as (
    delete from public.report_pupil_feedback_cache t using c_diff d
    where t.pupil_id = p_pupil_id and t.success_criterion_id = d.success_criterion_id and d.is_gone
    returning 1
  ),
  c_updated as (
    update public.report_pupil_feedback_cache t set
      unit_id = d.unit_id, group_id = d.group_id, assignment_id = d.assignment_id, rating = d.rating,
      version = d.version, updated_at = d.updated_at
    from c_diff d
    where t.pupil_id = p_pupil_id and t.success_criterion_id = d.success_criterion_id
      and not d.is_new and not d.is_gone
    returning 1
  ),
  c_inserted as (
    insert into public.report_pupil_feedback_cache (
      pupil_id, success_criterion_id, unit_id, group_id, assignment_id, rating, version, updated_at
    )
    select p_pupil_id, d.success_criterion_id, d.unit_id, d.group_id, d.assignment_id, d.rating, d.version,
      d.updated_at
    from c_diff d where d.is_new
    returning 1
  )
  select
    ((select count(*) from u_inserted) + (select count(*) from u_updated))::int4,
    (select count(*) from u_deleted)::int4,
    ((select count(*) from s_inserted) + (select count(*) from s_updated))::int4,
    (select count(*) from s_deleted)::int4,
    ((select count(*) from c_inserted) + (select count(*) from c_updated))::int4,
    (select count(*) from c_deleted)::int4;
end
$$;
comment on function public.reports_recalculate_pupil(uuid) is
  'Rewrites one pupil''s rows in all three cached report tables from the private.report_*_rows calculation '
  '(the one reports_prepared_* return), in one statement; writes only new/changed rows, deletes rows that no '
  'longer apply; returns row counts. Idempotent; serialised per pupil. Called by the report worker (service_role).';

-- ---------------------------------------------------------------------------------------
-- 5. Every pupil at once: the same diff, set-based, one statement per table, all in this
-- transaction. Returns the pupils processed (with feedback or cached rows), as before.

create or replace function public.reports_recalculate_all()
returns int4
language plpgsql volatile security invoker set search_path = '' as $$
declare
  v_count int4;
begin
  -- Waits for running per-pupil recalculations and holds new ones off until commit; the
  -- statements below then read a snapshot that includes everything they wrote.
  perform pg_catalog.pg_advisory_xact_lock(private.reports_rebuild_lock_key());

  with
  d as materialized (
    select coalesce(n.pupil_id, o.pupil_id) as pupil_id, coalesce(n.unit_id, o.unit_id) as unit_id,
      o.unit_id is null as is_new, n.unit_id is null as is_gone,
      n.group_ids, n.assignments_counted, n.criteria_rated, n.average_rating, n.working_level,
      n.last_feedback_at, n.source_version
    from private.report_unit_rows n
    full join public.report_pupil_unit_summaries o on o.pupil_id = n.pupil_id and o.unit_id = n.unit_id
    where n.unit_id is null or o.unit_id is null
      or (n.group_ids, n.assignments_counted, n.criteria_rated, n.average_rating, n.working_level,
          n.last_feedback_at, n.source_version)
        is distinct from (o.group_ids, o.assignments_counted, o.criteria_rated, o.average_rating, o.working_level,
          o.last_feedback_at, o.source_version)
  ),
  deleted as (
    delete from public.report_pupil_unit_summaries t using d
    where t.pupil_id = d.pupil_id and t.unit_id = d.unit_id and d.is_gone
  ),
  updated as (
    update public.report_pupil_unit_summaries t set
      group_ids = d.group_ids, assignments_counted = d.assignments_counted, criteria_rated = d.criteria_rated,
      average_rating = d.average_rating, working_level = d.working_level, last_feedback_at = d.last_feedback_at,
      source_version = greatest(t.source_version, d.source_version), computed_at = now()
    from d
    where t.pupil_id = d.pupil_id and t.unit_id = d.unit_id and not d.is_new and not d.is_gone
  )
  insert into public.report_pupil_unit_summaries (
    pupil_id, unit_id, group_ids, assignments_counted, criteria_rated, average_rating, working_level,
    last_feedback_at, source_version, computed_at
  )
  select d.pupil_id, d.unit_id, d.group_ids, d.assignments_counted, d.criteria_rated, d.average_rating,
    d.working_level, d.last_feedback_at, d.source_version, now()
  from d where d.is_new;

  with
  d as materialized (
    select coalesce(n.pupil_id, o.pupil_id) as pupil_id, o.pupil_id is null as is_new, n.pupil_id is null as is_gone,
      n.units_counted, n.criteria_rated, n.overall_average, n.working_level, n.last_feedback_at, n.source_version
    from private.report_summary_rows n
    full join public.report_pupil_summary o on o.pupil_id = n.pupil_id
    where n.pupil_id is null or o.pupil_id is null
      or (n.units_counted, n.criteria_rated, n.overall_average, n.working_level, n.last_feedback_at, n.source_version)
        is distinct from (o.units_counted, o.criteria_rated, o.overall_average, o.working_level, o.last_feedback_at,
          o.source_version)
  ),
  deleted as (
    delete from public.report_pupil_summary t using d where t.pupil_id = d.pupil_id and d.is_gone
  ),
  updated as (
    update public.report_pupil_summary t set
      units_counted = d.units_counted, criteria_rated = d.criteria_rated, overall_average = d.overall_average,
      working_level = d.working_level, last_feedback_at = d.last_feedback_at,
      source_version = greatest(t.source_version, d.source_version), computed_at = now()
    from d
    where t.pupil_id = d.pupil_id and not d.is_new and not d.is_gone
  )
  insert into public.report_pupil_summary (
    pupil_id, units_counted, criteria_rated, overall_average, working_level, last_feedback_at, source_version,
    computed_at
  )
  select d.pupil_id, d.units_counted, d.criteria_rated, d.overall_average, d.working_level, d.last_feedback_at,
    d.source_version, now()
  from d where d.is_new;

  with
  d as materialized (
    select coalesce(n.pupil_id, o.pupil_id) as pupil_id,
      coalesce(n.success_criterion_id, o.success_criterion_id) as success_criterion_id,
      o.success_criterion_id is null as is_new, n.success_criterion_id is null as is_gone,
      n.unit_id, n.group_id, n.assignment_id, n.rating, n.version, n.updated_at
    from private.report_criteria_rows n
    full join public.report_pupil_feedback_cache o
      on o.pupil_id = n.pupil_id and o.success_criterion_id = n.success_criterion_id
    where n.success_criterion_id is null or o.success_criterion_id is null
      or (n.unit_id, n.group_id, n.assignment_id, n.rating, n.version, n.updated_at)
        is distinct from (o.unit_id, o.group_id, o.assignment_id, o.rating, o.version, o.updated_at)
  ),
  deleted as (
    delete from public.report_pupil_feedback_cache t using d
    where t.pupil_id = d.pupil_id and t.success_criterion_id = d.success_criterion_id and d.is_gone
  ),
  updated as (
    update public.report_pupil_feedback_cache t set
      unit_id = d.unit_id, group_id = d.group_id, assignment_id = d.assignment_id, rating = d.rating,
      version = d.version, updated_at = d.updated_at
    from d
    where t.pupil_id = d.pupil_id and t.success_criterion_id = d.success_criterion_id
      and not d.is_new and not d.is_gone
  )
  insert into public.report_pupil_feedback_cache (
    pupil_id, success_criterion_id, unit_id, group_id, assignment_id, rating, version, updated_at
  )
  select d.pupil_id, d.success_criterion_id, d.unit_id, d.group_id, d.assignment_id, d.rating, d.version, d.updated_at
  from d where d.is_new;

  -- Pupils processed: those with feedback or cached rows (every such id is a pupil: FKs).
  select count(*)::int4 into v_count
  from public.pupils p
  where exists (select 1 from public.feedback f where f.pupil_id = p.id)
     or exists (select 1 from public.report_pupil_summary r where r.pupil_id = p.id)
     or exists (select 1 from public.report_pupil_unit_summaries r where r.pupil_id = p.id)
     or exists (select 1 from public.report_pupil_feedback_cache r where r.pupil_id = p.id);
  return v_count;
end
$$;
comment on function public.reports_recalculate_all() is
  'Recalculates every pupil''s cached rows set-based (same calculation and diff as reports_recalculate_pupil); '
  'returns pupils processed. Excludes per-pupil recalculations while it runs.';
