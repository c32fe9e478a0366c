-- Full backfill into EMPTY cache tables as a bulk load: keys and indexes set aside, then
-- rebuilt once.
--
-- Measured on the large seed (1,200 pupils, 958k feedback rows, ~305k cached rows): filling
-- the three empty cached tables took ~6.2 s, of which ~3 s were the RI triggers of the five
-- foreign keys (one SPI lookup with FOR KEY SHARE per inserted row; PostgreSQL 17 does not
-- batch them) and most of the rest row-by-row index insertion. Set aside, the foreign keys
-- are validated by one anti-join each (12–60 ms) and the indexes built by one sort each
-- (the criteria cache's 20 MB primary key ~100 ms): 2.5–2.9 s in all.
--
-- What stays the same: the constraints and indexes, their names, and the foreign keys' ON DELETE CASCADE (how a
-- deleted pupil/unit/criterion leaves the cache) exist again when the transaction commits,
-- and a violation (an orphan, a duplicate) fails the whole rebuild. DDL is transactional, so
-- an error anywhere rolls the drops back too. Only a rebuild into three empty tables takes this path
-- (a deploy's backfill, or after a truncate); a rebuild over a current cache writes only
-- differences and keeps the constraints.
--
-- Cost of the path, while it runs (a few seconds, rare): the cache tables are locked ACCESS
-- EXCLUSIVE (readers wait; there is nothing cached to read yet anyway) and pupils, units and
-- success_criteria SHARE ROW EXCLUSIVE (their inserts/updates/deletes wait; reads, and
-- feedback writes, which only take ROW SHARE on them for their own FK checks, go on).

-- ---------------------------------------------------------------------------------------
-- The fill of empty tables. SECURITY DEFINER because ALTER TABLE / CREATE INDEX need the
-- tables' owner and the rebuild runs as service_role (the worker, the seed). It refuses
-- unless all three cached tables are empty, and it restores every constraint and index it
-- set aside before it returns, so no caller can leave rows unchecked or unindexed. The
-- definitions are read from the catalog at call time, so an index added to a cache table
-- later is handled without touching this function. The views are read as the owner here,
-- who (like service_role) is not subject to RLS: both see every row.

create or replace function private.fill_empty_report_cache()
returns int4
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_tables regclass[] := array[
    'public.report_pupil_unit_summaries'::regclass,
    'public.report_pupil_summary'::regclass,
    'public.report_pupil_feedback_cache'::regclass
  ];
  v_restore text[];
  v_drop text[];
  v_statement text;
  v_count int4;
begin
  if exists (select 1 from public.report_pupil_unit_summaries)
     or exists (select 1 from public.report_pupil_summary)
     or exists (select 1 from public.report_pupil_feedback_cache) then
    raise exception 'fill_empty_report_cache: the report cache is not empty' using errcode = '55000';
  end if;

  -- Restore order: primary keys, then plain indexes, then foreign keys (validated last, once).
  -- Drop order is the reverse. With search_path '' the catalog functions qualify every name.
  select
    array_agg(x.restore order by x.step),
    array_agg(x.drop order by x.step desc)
  into v_restore, v_drop
  from (
    select case c.contype when 'p' then 1 else 3 end as step,
      format('alter table %s add constraint %I %s', c.conrelid::regclass, c.conname, pg_catalog.pg_get_constraintdef(c.oid)) as restore,
      format('alter table %s drop constraint %I', c.conrelid::regclass, c.conname) as drop
    from pg_catalog.pg_constraint c
    where c.conrelid = any (v_tables) and c.contype in ('p', 'f')
    union all
    select 2,
      pg_catalog.pg_get_indexdef(i.indexrelid),
      format('drop index %s', i.indexrelid::regclass)
    from pg_catalog.pg_index i
    where i.indrelid = any (v_tables)
      and not exists (select 1 from pg_catalog.pg_constraint c where c.conindid = i.indexrelid)
  ) x;

  foreach v_statement in array coalesce(v_drop, '{}') loop
    execute v_statement;
  end loop;
  -- Into empty tables every calculated row is new: the diff's insert branch, without the
  -- diff (its full join and materialisation). Same views, so the same rows.
  insert into public.report_pupil_unit_summaries (
    pupil_id, unit_id, group_ids, assignments_counted, criteria_rated, average_rating, working_level,
    last_feedback_at, source_version, computed_at
  )
  select n.pupil_id, n.unit_id, n.group_ids, n.assignments_counted, n.criteria_rated, n.average_rating,
    n.working_level, n.last_feedback_at, n.source_version, now()
  from private.report_unit_rows n;
  insert into public.report_pupil_summary (
    pupil_id, units_counted, criteria_rated, overall_average, working_level, last_feedback_at, source_version,
    computed_at
  )
  select n.pupil_id, n.units_counted, n.criteria_rated, n.overall_average, n.working_level, n.last_feedback_at,
    n.source_version, now()
  from private.report_summary_rows n;
  insert into public.report_pupil_feedback_cache (
    pupil_id, success_criterion_id, unit_id, group_id, assignment_id, rating, version, updated_at
  )
  select n.pupil_id, n.success_criterion_id, n.unit_id, n.group_id, n.assignment_id, n.rating, n.version, n.updated_at
  from private.report_criteria_rows n;

  foreach v_statement in array coalesce(v_restore, '{}') loop
    execute v_statement;
  end loop;

  -- Pupils processed, as the diff reports them. Counted after the indexes are back: without
  -- them each "exists" below is a scan of a whole cache table per pupil, and many pupils
  -- without feedback (a new intake) made that quadratic (2 min 14 s for 10,000 of them).
  select count(*)::int4 into v_count
  from public.pupils p
  where exists (select 1 from public.feedback f where f.pupil_id = p.id)
     or exists (select 1 from public.report_pupil_summary r where r.pupil_id = p.id);
  return v_count;
end
$$;
comment on function private.fill_empty_report_cache() is
  'reports_recalculate_all into three empty cached tables: sets their primary keys, indexes and foreign keys '
  'aside, fills them from the calculation views, and restores all of them (foreign keys validated once) before '
  'returning, in the caller''s transaction. Refuses if the cache is not empty.';
revoke execute on function private.fill_empty_report_cache() from public, anon, authenticated;
grant execute on function private.fill_empty_report_cache() to service_role;

-- ---------------------------------------------------------------------------------------
-- The set-based diff itself is unchanged: it moves to private under a new name and the
-- public function wraps it (grants on the moved function are kept).

do $$
begin
  if to_regprocedure('private.reports_recalculate_all_diff()') is null then
    alter function public.reports_recalculate_all() rename to reports_recalculate_all_diff;
    alter function public.reports_recalculate_all_diff() set schema private;
  end if;
end
$$;
revoke execute on function private.reports_recalculate_all_diff() from public, anon, authenticated;
comment on function private.reports_recalculate_all_diff() is
  'The set-based diff of every pupil''s cached rows against the calculation (see 20261122024000); '
  'called by public.reports_recalculate_all.';

create or replace function public.reports_recalculate_all()
returns int4
language plpgsql volatile security invoker set search_path = '' as $$
begin
  -- Taken before the emptiness check, so no per-pupil recalculation can fill a table between
  -- the check and the fill (they take this key shared).
  perform pg_catalog.pg_advisory_xact_lock(private.reports_rebuild_lock_key());
  if not exists (select 1 from public.report_pupil_unit_summaries)
     and not exists (select 1 from public.report_pupil_summary)
     and not exists (select 1 from public.report_pupil_feedback_cache) then
    return private.fill_empty_report_cache();
  end if;
  return private.reports_recalculate_all_diff();
end
$$;
comment on function public.reports_recalculate_all() is
  'Recalculates every pupil''s cached rows set-based (same calculation and diff as reports_recalculate_pupil); '
  'returns pupils processed. Excludes per-pupil recalculations while it runs. Into empty tables it fills '
  'with keys and indexes set aside (private.fill_empty_report_cache).';
revoke execute on function public.reports_recalculate_all() from public, anon, authenticated;
grant execute on function public.reports_recalculate_all() to service_role;
