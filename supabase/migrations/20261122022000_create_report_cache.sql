-- Cached reports: the working-level rule, the on-demand calculation (reports_prepared_*),
-- three cached tables written only by reports_recalculate_pupil, the report RPCs the
-- pages read, Realtime membership, and a backfill so reports work right after deploy.
--
-- One calculation: reports_recalculate_pupil writes exactly what reports_prepared_*
-- return, evaluated in ONE statement (one snapshot), so cache and on-demand cannot drift.

-- ---------------------------------------------------------------------------------------
-- The rating scale and the working-level rule, defined once and read by the UI.

create function public.rating_scale()
returns table (rating int2, label text)
language sql immutable set search_path = '' as $$
  values (0::int2, 'Not yet'), (1::int2, 'Working towards'), (2::int2, 'Secure'), (3::int2, 'Exceeding')
$$;
comment on function public.rating_scale() is 'The marking scale (feedback.rating check: 0..3), with labels for the UI.';

-- The working-level rule: a pupil's average rating (0..3, rounded to 2 dp) maps to the
-- band whose [min_average, max_average) contains it. Bands sit halfway between the scale
-- points, so an average is read as "the nearest rating", ties going up.
create function public.working_level_bands()
returns table (working_level text, label text, min_average numeric, max_average numeric)
language sql immutable set search_path = '' as $$
  values
    ('not_yet', 'Not yet', 0.00, 0.50),
    ('working_towards', 'Working towards', 0.50, 1.50),
    ('secure', 'Secure', 1.50, 2.50),
    ('exceeding', 'Exceeding', 2.50, 3.01)
$$;
comment on function public.working_level_bands() is
  'THE working-level rule (average rating -> level); working_level() applies it; the UI shows it as its legend.';

create function public.working_level(p_average numeric)
returns text
language sql immutable set search_path = '' as $$
  select b.working_level from public.working_level_bands() b
  where p_average >= b.min_average and p_average < b.max_average
$$;
comment on function public.working_level(numeric) is 'Applies working_level_bands() to an average rating; null for null.';

-- ---------------------------------------------------------------------------------------
-- Cached tables (normalised, primitive columns; written only by reports_recalculate_pupil)

create table public.report_pupil_unit_summaries (
  pupil_id uuid not null references public.pupils (id) on delete cascade,
  unit_id uuid not null references public.units (id) on delete cascade,
  group_ids uuid[] not null,
  assignments_counted int4 not null,
  criteria_rated int4 not null,
  average_rating numeric(4, 2) not null,
  working_level text not null,
  last_feedback_at timestamptz not null,
  source_version bigint not null,
  computed_at timestamptz not null default now(),
  primary key (pupil_id, unit_id)
);
comment on table public.report_pupil_unit_summaries is
  'Cache: one row per (pupil, unit) with rated feedback. group_ids = groups whose assignments fed it; '
  'source_version = highest feedback version folded in. Written only by reports_recalculate_pupil.';
create index report_pupil_unit_summaries_group_ids_idx on public.report_pupil_unit_summaries using gin (group_ids);
create index report_pupil_unit_summaries_unit_id_idx on public.report_pupil_unit_summaries (unit_id, pupil_id);

create table public.report_pupil_summary (
  pupil_id uuid primary key references public.pupils (id) on delete cascade,
  units_counted int4 not null,
  criteria_rated int4 not null,
  overall_average numeric(4, 2) not null,
  working_level text not null,
  last_feedback_at timestamptz not null,
  source_version bigint not null,
  computed_at timestamptz not null default now()
);
comment on table public.report_pupil_summary is
  'Cache: one row per pupil with rated feedback: overall average over all rated cells, working level, counts.';

create table public.report_pupil_feedback_cache (
  pupil_id uuid not null references public.pupils (id) on delete cascade,
  success_criterion_id uuid not null references public.success_criteria (id) on delete cascade,
  unit_id uuid not null,
  group_id uuid not null,
  assignment_id uuid not null,
  rating int2 not null,
  version bigint not null,
  updated_at timestamptz not null,
  primary key (pupil_id, success_criterion_id)
);
comment on table public.report_pupil_feedback_cache is
  'Cache: latest non-null rating (highest version) per (pupil, success criterion), for criteria lookups.';
create index report_pupil_feedback_cache_group_id_idx on public.report_pupil_feedback_cache (group_id, unit_id);

-- Helper for the cached tables' policies: the caller's readable groups as one array, so
-- the policy evaluates it once per statement (initplan) and compares with &&/=any.
create function private.readable_group_id_array() returns uuid[]
language sql stable security definer set search_path = '' as $$
  select coalesce(array_agg(g.id), '{}') from private.readable_group_ids() as g(id)
$$;
comment on function private.readable_group_id_array() is 'readable_group_ids() as an array. Definer: see private.taught_group_ids.';
revoke execute on function private.readable_group_id_array() from public, anon;
grant execute on function private.readable_group_id_array() to authenticated, service_role;

alter table public.report_pupil_unit_summaries enable row level security;
create policy report_pupil_unit_summaries_select_authenticated on public.report_pupil_unit_summaries
  for select to authenticated using (group_ids && (select private.readable_group_id_array()));
comment on policy report_pupil_unit_summaries_select_authenticated on public.report_pupil_unit_summaries is
  'Unit summaries fed by a group the caller may read. No write policies: read-only to users.';

alter table public.report_pupil_summary enable row level security;
create policy report_pupil_summary_select_authenticated on public.report_pupil_summary
  for select to authenticated using (pupil_id in (select private.readable_pupil_ids()));
comment on policy report_pupil_summary_select_authenticated on public.report_pupil_summary is
  'Overall summaries of pupils the caller may read. No write policies: read-only to users.';

alter table public.report_pupil_feedback_cache enable row level security;
create policy report_pupil_feedback_cache_select_authenticated on public.report_pupil_feedback_cache
  for select to authenticated using (group_id = any ((select private.readable_group_id_array())::uuid[]));
comment on policy report_pupil_feedback_cache_select_authenticated on public.report_pupil_feedback_cache is
  'Latest ratings from groups the caller may read. No write policies: read-only to users.';

-- Users never write the cache (belt and braces on top of RLS).
revoke insert, update, delete, truncate on public.report_pupil_unit_summaries, public.report_pupil_summary,
  public.report_pupil_feedback_cache from anon, authenticated;

-- Realtime: /reports views subscribe to these. Rows are deleted when they stop applying,
-- and subscribers filter on pupil_id / group, so DELETE events need the full old row.
alter table public.report_pupil_unit_summaries replica identity full;
alter table public.report_pupil_summary replica identity full;
alter table public.report_pupil_feedback_cache replica identity full;
alter publication supabase_realtime add table public.report_pupil_unit_summaries, public.report_pupil_summary,
  public.report_pupil_feedback_cache;

-- ---------------------------------------------------------------------------------------
-- The calculation (on demand). Runs as the caller: for users RLS limits what it sees; the
-- worker (service_role) sees everything. STABLE, so within one statement all three see
-- the same snapshot.

create function public.reports_prepared_dataset(p_pupil_id uuid)
returns table (
  pupil_id uuid, unit_id uuid, group_ids uuid[], assignments_counted int4, criteria_rated int4,
  average_rating numeric(4, 2), working_level text, last_feedback_at timestamptz, source_version bigint
)
language sql stable security invoker set search_path = '' as $$
  select
    f.pupil_id,
    a.unit_id,
    array_agg(distinct a.group_id order by a.group_id) filter (where f.rating is not null),
    (count(distinct f.assignment_id) filter (where f.rating is not null))::int4,
    count(f.rating)::int4,
    round(avg(f.rating), 2)::numeric(4, 2),
    public.working_level(round(avg(f.rating), 2)),
    max(f.updated_at),
    max(f.version)
  from public.feedback f
  join public.assignments a on a.id = f.assignment_id
  where f.pupil_id = p_pupil_id
  group by f.pupil_id, a.unit_id
  having count(f.rating) > 0
$$;
comment on function public.reports_prepared_dataset(uuid) is
  'On-demand report of one pupil: per-unit summaries computed from feedback (baseline and fallback of the cache).';

create function public.reports_prepared_summary(p_pupil_id uuid)
returns table (
  pupil_id uuid, units_counted int4, criteria_rated int4, overall_average numeric(4, 2), working_level text,
  last_feedback_at timestamptz, source_version bigint
)
language sql stable security invoker set search_path = '' as $$
  select
    f.pupil_id,
    (count(distinct a.unit_id) filter (where f.rating is not null))::int4,
    count(f.rating)::int4,
    round(avg(f.rating), 2)::numeric(4, 2),
    public.working_level(round(avg(f.rating), 2)),
    max(f.updated_at),
    max(f.version)
  from public.feedback f
  join public.assignments a on a.id = f.assignment_id
  where f.pupil_id = p_pupil_id
  group by f.pupil_id
  having count(f.rating) > 0
$$;
comment on function public.reports_prepared_summary(uuid) is 'On-demand overall summary of one pupil (all rated cells).';

create function public.reports_prepared_criteria(p_pupil_id uuid)
returns table (
  pupil_id uuid, success_criterion_id uuid, unit_id uuid, group_id uuid, assignment_id uuid, rating int2,
  version bigint, updated_at timestamptz
)
language sql stable security invoker set search_path = '' as $$
  select distinct on (f.success_criterion_id)
    f.pupil_id, f.success_criterion_id, a.unit_id, a.group_id, f.assignment_id, f.rating, f.version, f.updated_at
  from public.feedback f
  join public.assignments a on a.id = f.assignment_id
  where f.pupil_id = p_pupil_id and f.rating is not null
  order by f.success_criterion_id, f.version desc
$$;
comment on function public.reports_prepared_criteria(uuid) is 'On-demand latest non-null rating per success criterion of one pupil.';

-- ---------------------------------------------------------------------------------------
-- The recalculation procedure.

create function public.reports_recalculate_pupil(p_pupil_id uuid)
returns table (
  units_written int4, units_deleted int4, summary_written int4, summary_deleted int4,
  criteria_written int4, criteria_deleted int4
)
language plpgsql volatile security invoker set search_path = '' as $$
begin
  -- Serialise per pupil: concurrent recalculations of one pupil queue here; each then
  -- reads a snapshot taken after the previous one committed, so results only move forward.
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('reports_recalculate_pupil:' || p_pupil_id::text, 0));

  -- One statement = one snapshot for all three tables. Unchanged rows are not rewritten
  -- (no Realtime noise); source_version never moves backwards.
  return query
  with
  u as (select * from public.reports_prepared_dataset(p_pupil_id)),
  s as (select * from public.reports_prepared_summary(p_pupil_id)),
  c as (select * from public.reports_prepared_criteria(p_pupil_id)),
  u_deleted as (
    delete from public.report_pupil_unit_summaries t
    where t.pupil_id = p_pupil_id and not exists (select 1 from u where u.unit_id = t.unit_id)
    returning 1
  ),
  u_written as (
    insert into public.report_pupil_unit_summaries as t (
      pupil_id, unit_id, group_ids, assignments_counted, criteria_rated, average_rating, working_level,
      last_feedback_at, source_version, computed_at
    )
    select u.pupil_id, u.unit_id, u.group_ids, u.assignments_counted, u.criteria_rated, u.average_rating,
      u.working_level, u.last_feedback_at, u.source_version, now()
    from u
    on conflict (pupil_id, unit_id) do update set
      group_ids = excluded.group_ids,
      assignments_counted = excluded.assignments_counted,
      criteria_rated = excluded.criteria_rated,
      average_rating = excluded.average_rating,
      working_level = excluded.working_level,
      last_feedback_at = excluded.last_feedback_at,
      source_version = greatest(t.source_version, excluded.source_version),
      computed_at = excluded.computed_at
    where (t.group_ids, t.assignments_counted, t.criteria_rated, t.average_rating, t.working_level,
           t.last_feedback_at, t.source_version)
      is distinct from (excluded.group_ids, excluded.assignments_counted, excluded.criteria_rated,
           excluded.average_rating, excluded.working_level, excluded.last_feedback_at, excluded.source_version)
    returning 1
  ),
  s_deleted as (
    delete from public.report_pupil_summary t
    where t.pupil_id = p_pupil_id and not exists (select 1 from s)
    returning 1
  ),
  s_written as (
    insert into public.report_pupil_summary as t (
      pupil_id, units_counted, criteria_rated, overall_average, working_level, last_feedback_at,
      source_version, computed_at
    )
    select s.pupil_id, s.units_counted, s.criteria_rated, s.overall_average, s.working_level,
      s.last_feedback_at, s.source_version, now()
    from s
    on conflict (pupil_id) do update set
      units_counted = excluded.units_counted,
      criteria_rated = excluded.criteria_rated,
      overall_average = excluded.overall_average,
      working_level = excluded.working_level,
      last_feedback_at = excluded.last_feedback_at,
      source_version = greatest(t.source_version, excluded.source_version),
      computed_at = excluded.computed_at
    where (t.units_counted, t.criteria_rated, t.overall_average, t.working_level, t.last_feedback_at, t.source_version)
      is distinct from (excluded.units_counted, excluded.criteria_rated, excluded.overall_average,
           excluded.working_level, excluded.last_feedback_at, excluded.source_version)
    returning 1
  ),
  c_deleted as (
    delete from public.report_pupil_feedback_cache t
    where t.pupil_id = p_pupil_id
      and not exists (select 1 from c where c.success_criterion_id = t.success_criterion_id)
    returning 1
  ),
  c_written as (
    insert into public.report_pupil_feedback_cache as t (
      pupil_id, success_criterion_id, unit_id, group_id, assignment_id, rating, version, updated_at
    )
    select c.pupil_id, c.success_criterion_id, c.unit_id, c.group_id, c.assignment_id, c.rating, c.version, c.updated_at
    from c
    on conflict (pupil_id, success_criterion_id) do update set
      unit_id = excluded.unit_id,
      group_id = excluded.group_id,
      assignment_id = excluded.assignment_id,
      rating = excluded.rating,
      version = excluded.version,
      updated_at = excluded.updated_at
    where (t.unit_id, t.group_id, t.assignment_id, t.rating, t.version, t.updated_at)
      is distinct from (excluded.unit_id, excluded.group_id, excluded.assignment_id, excluded.rating,
           excluded.version, excluded.updated_at)
    returning 1
  )
  select
    (select count(*) from u_written)::int4,
    (select count(*) from u_deleted)::int4,
    (select count(*) from s_written)::int4,
    (select count(*) from s_deleted)::int4,
    (select count(*) from c_written)::int4,
    (select count(*) from c_deleted)::int4;
end
$$;
comment on function public.reports_recalculate_pupil(uuid) is
  'Rewrites one pupil''s rows in all three cached report tables from reports_prepared_*, in one transaction; '
  'deletes rows that no longer apply; returns row counts. Idempotent; serialised per pupil. Called by the '
  'report worker (service_role).';

-- Backfill / full rebuild: every pupil with feedback or cached rows. For scripts, the seed
-- and this migration; service_role only.
create function public.reports_recalculate_all()
returns int4
language plpgsql volatile security invoker set search_path = '' as $$
declare
  v_pupil uuid;
  v_count int4 := 0;
begin
  for v_pupil in
    select f.pupil_id from public.feedback f
    union
    select r.pupil_id from public.report_pupil_summary r
    union
    select r.pupil_id from public.report_pupil_unit_summaries r
    union
    select r.pupil_id from public.report_pupil_feedback_cache r
  loop
    perform public.reports_recalculate_pupil(v_pupil);
    v_count := v_count + 1;
  end loop;
  return v_count;
end
$$;
comment on function public.reports_recalculate_all() is 'Recalculates every pupil''s cached rows; returns pupils processed.';

-- ---------------------------------------------------------------------------------------
-- Report RPCs: one round trip per page load, from the cache, as the caller (RLS).

create function public.reports_pupil_units(p_pupil_id uuid)
returns table (
  unit_id uuid, unit_name text, unit_position int2, department_id uuid, group_ids uuid[],
  assignments_counted int4, criteria_rated int4, average_rating numeric(4, 2), working_level text,
  last_feedback_at timestamptz, source_version bigint, computed_at timestamptz
)
language sql stable security invoker set search_path = '' as $$
  select r.unit_id, u.name, u.position, u.department_id, r.group_ids, r.assignments_counted, r.criteria_rated,
    r.average_rating, r.working_level, r.last_feedback_at, r.source_version, r.computed_at
  from public.report_pupil_unit_summaries r
  join public.units u on u.id = r.unit_id
  where r.pupil_id = p_pupil_id
  order by u.department_id, u.position, u.name
$$;
comment on function public.reports_pupil_units(uuid) is '/reports/[pupilId]: the pupil''s cached unit summaries with unit names.';

create function public.reports_group_units(p_group_id uuid)
returns table (
  pupil_id uuid, first_name text, last_name text, unit_id uuid, unit_name text, unit_position int2,
  assignments_counted int4, criteria_rated int4, average_rating numeric(4, 2), working_level text,
  last_feedback_at timestamptz, source_version bigint
)
language sql stable security invoker set search_path = '' as $$
  select p.id, p.first_name, p.last_name, r.unit_id, u.name, u.position, r.assignments_counted, r.criteria_rated,
    r.average_rating, r.working_level, r.last_feedback_at, r.source_version
  from public.group_pupils gp
  join public.pupils p on p.id = gp.pupil_id
  join public.report_pupil_unit_summaries r on r.pupil_id = gp.pupil_id and p_group_id = any (r.group_ids)
  join public.units u on u.id = r.unit_id
  where gp.group_id = p_group_id
  order by p.last_name, p.first_name, p.id, u.position, u.name
$$;
comment on function public.reports_group_units(uuid) is
  '/reports/groups/[groupId]: every pupil x unit summary fed by this group, from the cache.';

create function public.reports_group_units_on_demand(p_group_id uuid)
returns table (
  pupil_id uuid, first_name text, last_name text, unit_id uuid, unit_name text, unit_position int2,
  assignments_counted int4, criteria_rated int4, average_rating numeric(4, 2), working_level text,
  last_feedback_at timestamptz, source_version bigint
)
language sql stable security invoker set search_path = '' as $$
  select p.id, p.first_name, p.last_name, r.unit_id, u.name, u.position, r.assignments_counted, r.criteria_rated,
    r.average_rating, r.working_level, r.last_feedback_at, r.source_version
  from public.group_pupils gp
  join public.pupils p on p.id = gp.pupil_id
  cross join lateral public.reports_prepared_dataset(gp.pupil_id) r
  join public.units u on u.id = r.unit_id
  where gp.group_id = p_group_id and p_group_id = any (r.group_ids)
  order by p.last_name, p.first_name, p.id, u.position, u.name
$$;
comment on function public.reports_group_units_on_demand(uuid) is
  'Same rows as reports_group_units, computed from feedback (the old way; fallback and benchmark baseline).';

-- ---------------------------------------------------------------------------------------
-- Grants: reads for signed-in staff; the procedures that write the cache for service_role.
revoke execute on function public.rating_scale(), public.working_level_bands(), public.working_level(numeric),
  public.reports_prepared_dataset(uuid), public.reports_prepared_summary(uuid), public.reports_prepared_criteria(uuid),
  public.reports_recalculate_pupil(uuid), public.reports_recalculate_all(), public.reports_pupil_units(uuid),
  public.reports_group_units(uuid), public.reports_group_units_on_demand(uuid)
  from public, anon, authenticated;
grant execute on function public.rating_scale(), public.working_level_bands(), public.working_level(numeric)
  to anon, authenticated, service_role;
grant execute on function public.reports_prepared_dataset(uuid), public.reports_prepared_summary(uuid),
  public.reports_prepared_criteria(uuid), public.reports_pupil_units(uuid), public.reports_group_units(uuid),
  public.reports_group_units_on_demand(uuid)
  to authenticated, service_role;
grant execute on function public.reports_recalculate_pupil(uuid), public.reports_recalculate_all() to service_role;

-- Backfill from existing feedback, so reports work right after deploy.
select public.reports_recalculate_all();
