-- On-demand reports return exactly what the cache returns to the same caller (issue 7:
-- "REPORTS_SOURCE=live serves the same numbers as the cache").
--
-- Why: the cache rows are computed over ALL of a pupil's feedback (the worker runs as
-- service_role) and are then shown by the cached tables' RLS policies:
--   report_pupil_unit_summaries  group_ids && private.readable_group_id_array()
--   report_pupil_summary         pupil_id in (select private.readable_pupil_ids())
--   report_pupil_feedback_cache  group_id = any (private.readable_group_id_array())
-- The on-demand functions (reports_prepared_*, reports_pupil_units_on_demand,
-- reports_group_units_on_demand, reports_visible_unit_rows_on_demand) were security invoker
-- over security-invoker views, so they computed over the feedback RLS lets the caller read
-- (readable assignments) only. They differed whenever a pupil has feedback the caller cannot
-- read: rated in one unit by two groups of which the caller reads one (a pupil who moved sets
-- mid-year; cached 2.25 over {10Sc1, 10Sc2}, live 1.50 over {10Sc1}), the overall summary of
-- a pupil also taught in another department, and a criterion whose latest rating came from
-- the other group (live showed an older rating the cache hides).
--
-- What: the calculation is still the private views of 20261122024000 (report_unit_rows,
-- report_summary_rows, report_criteria_rows), so cache and on-demand cannot drift. Per view:
--   private.policy_filtered_report_*  SECURITY DEFINER (the minimum: one statement each):
--       reads the view as its owner, i.e. over all of the pupils' feedback, and applies the
--       cached table's policy predicate itself, with the same helpers. Whatever pupil ids a
--       caller passes, it returns only rows that table's policy shows that caller. Execute:
--       authenticated only (the role those policies are for).
--   private.report_*_rows_for_caller  security invoker dispatcher: if RLS applies to the
--       caller on the cached table (pg_catalog.row_security_active, evaluated as the caller)
--       it returns the policy-filtered rows above; if not (service_role, superusers: they
--       read every cached row), the view as the caller, i.e. every row, as before.
-- The public functions keep their signatures, return columns, security invoker and grants,
-- and read the dispatchers. anon has no execute on any of them (unchanged), so it gets
-- nothing.
--
-- Cost: every path still reads the views one pupil at a time (a lateral subquery per pupil
-- id; `offset 0` stops the planner pulling it up into a join with the whole view, which it
-- cannot push into the aggregate), so the pupil filter reaches feedback_pupil_id_covering_idx
-- as before; the policy predicates apply to the few aggregated rows. The group page passes
-- its pupils and its units as arrays (one statement instead of one call per pupil; only the
-- group's units aggregated); the overview finds candidate pupils through the readable
-- assignments' keys. EXPLAIN ANALYZE p50 before -> after, teacher A / admin:
--   demo seed:  pupil units 0.95 -> 0.86 / 1.06 -> 0.84 ms; group 10Sc1 17.9 -> 3.3 / 18.6 -> 3.0 ms;
--               overview 1.5 -> 3.2 / 2.4 -> 4.3 ms (fixed per-pupil overhead; 50-75 pupils);
--   seed:large --pupils 300 (253k feedback rows), a group's teacher / admin: pupil units
--               2.5 -> 1.7 / 3.1 -> 1.6 ms; 30-pupil group 35 -> 14 / 82 -> 13 ms;
--               overview 30 -> 13 / 335 -> 231 ms.

-- The definer functions read the security-invoker views as their owner: that must bypass
-- RLS on feedback and assignments, or they would silently compute over the owner's (empty)
-- view of the feedback.
do $$
begin
  if not exists (select 1 from pg_catalog.pg_roles r where r.rolname = current_user and (r.rolsuper or r.rolbypassrls)) then
    raise exception 'migration owner % must bypass RLS (superuser or BYPASSRLS)', current_user;
  end if;
end
$$;

-- ---------------------------------------------------------------------------------------
-- 1. The cached tables' policies applied to the calculation over all feedback (definer).

create or replace function private.policy_filtered_report_unit_rows(p_pupil_ids uuid[], p_unit_ids uuid[])
returns table (
  pupil_id uuid, unit_id uuid, group_ids uuid[], assignments_counted int4, criteria_rated int4,
  average_rating numeric(4, 2), working_level text, last_feedback_at timestamptz, source_version bigint
)
language sql stable security definer set search_path = '' as $$
  select r.pupil_id, r.unit_id, r.group_ids, r.assignments_counted, r.criteria_rated, r.average_rating,
    r.working_level, r.last_feedback_at, r.source_version
  from (select distinct c.id from pg_catalog.unnest(p_pupil_ids) as c (id)) c
  cross join lateral (
    select v.pupil_id, v.unit_id, v.group_ids, v.assignments_counted, v.criteria_rated, v.average_rating,
      v.working_level, v.last_feedback_at, v.source_version
    from private.report_unit_rows v
    where v.pupil_id = c.id and (p_unit_ids is null or v.unit_id = any (p_unit_ids))
    offset 0 -- a fence: keeps the pupil filter inside the aggregate (see the header)
  ) r
  -- = policy report_pupil_unit_summaries_select_authenticated
  where r.group_ids && (select private.readable_group_id_array())
$$;
comment on function private.policy_filtered_report_unit_rows(uuid[], uuid[]) is
  'private.report_unit_rows of these pupils (and of these units; null: all) over ALL their feedback, filtered by the policy on '
  'report_pupil_unit_summaries (group_ids && readable groups): what that cached table shows the caller. '
  'Definer because the calculation must read feedback the caller cannot; it applies the policy itself.';

create or replace function private.policy_filtered_report_summary_rows(p_pupil_id uuid)
returns table (
  pupil_id uuid, units_counted int4, criteria_rated int4, overall_average numeric(4, 2), working_level text,
  last_feedback_at timestamptz, source_version bigint
)
language sql stable security definer set search_path = '' as $$
  select r.pupil_id, r.units_counted, r.criteria_rated, r.overall_average, r.working_level, r.last_feedback_at,
    r.source_version
  from private.report_summary_rows r
  where r.pupil_id = p_pupil_id
    -- = policy report_pupil_summary_select_authenticated
    and r.pupil_id in (select private.readable_pupil_ids())
$$;
comment on function private.policy_filtered_report_summary_rows(uuid) is
  'private.report_summary_rows of this pupil over ALL their feedback, filtered by the policy on '
  'report_pupil_summary (readable pupil). Definer: see policy_filtered_report_unit_rows.';

create or replace function private.policy_filtered_report_criteria_rows(p_pupil_id uuid)
returns table (
  pupil_id uuid, success_criterion_id uuid, unit_id uuid, group_id uuid, assignment_id uuid, rating int2,
  version bigint, updated_at timestamptz
)
language sql stable security definer set search_path = '' as $$
  select r.pupil_id, r.success_criterion_id, r.unit_id, r.group_id, r.assignment_id, r.rating, r.version, r.updated_at
  from private.report_criteria_rows r
  where r.pupil_id = p_pupil_id
    -- = policy report_pupil_feedback_cache_select_authenticated; applied to the latest rating
    -- of each criterion (a group_id filter cannot move below the view's distinct on).
    and r.group_id = any ((select private.readable_group_id_array())::uuid[])
$$;
comment on function private.policy_filtered_report_criteria_rows(uuid) is
  'private.report_criteria_rows of this pupil (latest rating per criterion over ALL their feedback), filtered '
  'by the policy on report_pupil_feedback_cache (readable group). Definer: see policy_filtered_report_unit_rows.';

revoke all on function private.policy_filtered_report_unit_rows(uuid[], uuid[]),
  private.policy_filtered_report_summary_rows(uuid), private.policy_filtered_report_criteria_rows(uuid)
  from public, anon, authenticated, service_role;
grant execute on function private.policy_filtered_report_unit_rows(uuid[], uuid[]),
  private.policy_filtered_report_summary_rows(uuid), private.policy_filtered_report_criteria_rows(uuid)
  to authenticated;

-- ---------------------------------------------------------------------------------------
-- 2. What the cached table would show the caller: the policy-filtered rows when RLS applies
-- to the caller on that table, else every row (invoker, so row_security_active sees the
-- caller). plpgsql, so only the branch taken is planned and checked for privileges.

create or replace function private.report_unit_rows_for_caller(p_pupil_ids uuid[], p_unit_ids uuid[])
returns table (
  pupil_id uuid, unit_id uuid, group_ids uuid[], assignments_counted int4, criteria_rated int4,
  average_rating numeric(4, 2), working_level text, last_feedback_at timestamptz, source_version bigint
)
language plpgsql stable security invoker set search_path = '' as $$
begin
  if pg_catalog.row_security_active('public.report_pupil_unit_summaries'::regclass) then
    return query
    select r.pupil_id, r.unit_id, r.group_ids, r.assignments_counted, r.criteria_rated, r.average_rating,
      r.working_level, r.last_feedback_at, r.source_version
    from private.policy_filtered_report_unit_rows(p_pupil_ids, p_unit_ids) r;
  else
    return query
    select r.pupil_id, r.unit_id, r.group_ids, r.assignments_counted, r.criteria_rated, r.average_rating,
      r.working_level, r.last_feedback_at, r.source_version
    from (select distinct c.id from pg_catalog.unnest(p_pupil_ids) as c (id)) c
    cross join lateral (
      select v.pupil_id, v.unit_id, v.group_ids, v.assignments_counted, v.criteria_rated, v.average_rating,
        v.working_level, v.last_feedback_at, v.source_version
      from private.report_unit_rows v
      where v.pupil_id = c.id and (p_unit_ids is null or v.unit_id = any (p_unit_ids))
      offset 0 -- a fence: see the header
    ) r;
  end if;
end
$$;
comment on function private.report_unit_rows_for_caller(uuid[], uuid[]) is
  'The calculated unit rows of these pupils (and units; null: all) that report_pupil_unit_summaries would show '
  'the caller.';

create or replace function private.report_summary_rows_for_caller(p_pupil_id uuid)
returns table (
  pupil_id uuid, units_counted int4, criteria_rated int4, overall_average numeric(4, 2), working_level text,
  last_feedback_at timestamptz, source_version bigint
)
language plpgsql stable security invoker set search_path = '' as $$
begin
  if pg_catalog.row_security_active('public.report_pupil_summary'::regclass) then
    return query
    select r.pupil_id, r.units_counted, r.criteria_rated, r.overall_average, r.working_level, r.last_feedback_at,
      r.source_version
    from private.policy_filtered_report_summary_rows(p_pupil_id) r;
  else
    return query
    select r.pupil_id, r.units_counted, r.criteria_rated, r.overall_average, r.working_level, r.last_feedback_at,
      r.source_version
    from private.report_summary_rows r
    where r.pupil_id = p_pupil_id;
  end if;
end
$$;
comment on function private.report_summary_rows_for_caller(uuid) is
  'The calculated summary row of this pupil that report_pupil_summary would show the caller.';

create or replace function private.report_criteria_rows_for_caller(p_pupil_id uuid)
returns table (
  pupil_id uuid, success_criterion_id uuid, unit_id uuid, group_id uuid, assignment_id uuid, rating int2,
  version bigint, updated_at timestamptz
)
language plpgsql stable security invoker set search_path = '' as $$
begin
  if pg_catalog.row_security_active('public.report_pupil_feedback_cache'::regclass) then
    return query
    select r.pupil_id, r.success_criterion_id, r.unit_id, r.group_id, r.assignment_id, r.rating, r.version,
      r.updated_at
    from private.policy_filtered_report_criteria_rows(p_pupil_id) r;
  else
    return query
    select r.pupil_id, r.success_criterion_id, r.unit_id, r.group_id, r.assignment_id, r.rating, r.version,
      r.updated_at
    from private.report_criteria_rows r
    where r.pupil_id = p_pupil_id;
  end if;
end
$$;
comment on function private.report_criteria_rows_for_caller(uuid) is
  'The calculated latest ratings of this pupil that report_pupil_feedback_cache would show the caller.';

revoke all on function private.report_unit_rows_for_caller(uuid[], uuid[]), private.report_summary_rows_for_caller(uuid),
  private.report_criteria_rows_for_caller(uuid)
  from public, anon, authenticated, service_role;
grant execute on function private.report_unit_rows_for_caller(uuid[], uuid[]), private.report_summary_rows_for_caller(uuid),
  private.report_criteria_rows_for_caller(uuid)
  to authenticated, service_role;

-- ---------------------------------------------------------------------------------------
-- 3. The public on-demand functions: same signatures, columns, order and grants; security
-- invoker; now the rows the cache would show the caller. reports_pupil_units_on_demand
-- reads reports_prepared_dataset and needs no change.

create or replace function public.reports_prepared_dataset(p_pupil_id uuid)
returns table (
  pupil_id uuid, unit_id uuid, group_ids uuid[], assignments_counted int4, criteria_rated int4,
  average_rating numeric(4, 2), working_level text, last_feedback_at timestamptz, source_version bigint
)
language sql stable security invoker set search_path = '' as $$
  select r.pupil_id, r.unit_id, r.group_ids, r.assignments_counted, r.criteria_rated, r.average_rating,
    r.working_level, r.last_feedback_at, r.source_version
  from private.report_unit_rows_for_caller(array[p_pupil_id], null) r
$$;
comment on function public.reports_prepared_dataset(uuid) is
  'On-demand report of one pupil: per-unit summaries computed from all their feedback now, the rows '
  'report_pupil_unit_summaries shows the caller (baseline and fallback of the cache).';

create or replace function public.reports_prepared_summary(p_pupil_id uuid)
returns table (
  pupil_id uuid, units_counted int4, criteria_rated int4, overall_average numeric(4, 2), working_level text,
  last_feedback_at timestamptz, source_version bigint
)
language sql stable security invoker set search_path = '' as $$
  select r.pupil_id, r.units_counted, r.criteria_rated, r.overall_average, r.working_level, r.last_feedback_at,
    r.source_version
  from private.report_summary_rows_for_caller(p_pupil_id) r
$$;
comment on function public.reports_prepared_summary(uuid) is
  'On-demand overall summary of one pupil (all rated cells), when report_pupil_summary shows the caller that pupil.';

create or replace function public.reports_prepared_criteria(p_pupil_id uuid)
returns table (
  pupil_id uuid, success_criterion_id uuid, unit_id uuid, group_id uuid, assignment_id uuid, rating int2,
  version bigint, updated_at timestamptz
)
language sql stable security invoker set search_path = '' as $$
  select r.pupil_id, r.success_criterion_id, r.unit_id, r.group_id, r.assignment_id, r.rating, r.version, r.updated_at
  from private.report_criteria_rows_for_caller(p_pupil_id) r
$$;
comment on function public.reports_prepared_criteria(uuid) is
  'On-demand latest non-null rating per success criterion of one pupil, the ones report_pupil_feedback_cache '
  'shows the caller (latest from a readable group).';

-- The group's pupils and the units it sets work in (as the caller: RLS) as two arrays: one
-- statement for the group rather than one function call per pupil, and each pupil's
-- calculation limited to those units. Exact: a row fed by this group (p_group_id in
-- group_ids) is a unit this group has an assignment in.
create or replace function public.reports_group_units_on_demand(p_group_id uuid)
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
  join private.report_unit_rows_for_caller(
    array(select m.pupil_id from public.group_pupils m where m.group_id = p_group_id),
    array(select a.unit_id from public.assignments a where a.group_id = p_group_id)
  ) r on r.pupil_id = gp.pupil_id and p_group_id = any (r.group_ids)
  join public.units u on u.id = r.unit_id
  where gp.group_id = p_group_id
  order by p.last_name, p.first_name, p.id, u.position, u.name
$$;
comment on function public.reports_group_units_on_demand(uuid) is
  'Same rows as reports_group_units, computed from feedback now (REPORTS_SOURCE=live, fallback, benchmark baseline).';

-- Candidates, as the caller (RLS): pupils with feedback on an assignment the caller can
-- read, and those assignments' units. A cached row is visible exactly when one of its groups
-- is readable, i.e. when the caller can read rated feedback of that pupil in that unit, so
-- no visible row is missed (candidates may be more: the definer filters again). A pupil who
-- left the caller's group keeps the rows their old feedback feeds, as in the cache. Distinct
-- pupils per assignment read the (assignment_id, pupil_id, ...) key: a teacher's few
-- assignments, not every feedback row.
create or replace function public.reports_visible_unit_rows_on_demand()
returns table (
  pupil_id uuid, unit_id uuid, group_ids uuid[], assignments_counted int4, criteria_rated int4,
  average_rating numeric(4, 2), working_level text, last_feedback_at timestamptz, source_version bigint
)
language sql stable security invoker set search_path = '' as $$
  select r.pupil_id, r.unit_id, r.group_ids, r.assignments_counted, r.criteria_rated, r.average_rating,
    r.working_level, r.last_feedback_at, r.source_version
  from private.report_unit_rows_for_caller(
    array(
      select distinct x.pupil_id
      from public.assignments a
      cross join lateral (select distinct f.pupil_id from public.feedback f where f.assignment_id = a.id) x
    ),
    array(select distinct a.unit_id from public.assignments a)
  ) r
  order by r.pupil_id, r.unit_id
$$;
comment on function public.reports_visible_unit_rows_on_demand() is
  '/reports with REPORTS_SOURCE=live: same rows as reports_visible_unit_rows, computed from feedback now '
  '(private.report_unit_rows over all of each pupil''s feedback, shown by the cached table''s policy).';

-- Grants as before (create or replace keeps them; restated so this file says who may call what).
revoke execute on function public.reports_prepared_dataset(uuid), public.reports_prepared_summary(uuid),
  public.reports_prepared_criteria(uuid), public.reports_group_units_on_demand(uuid),
  public.reports_visible_unit_rows_on_demand()
  from public, anon;
grant execute on function public.reports_prepared_dataset(uuid), public.reports_prepared_summary(uuid),
  public.reports_prepared_criteria(uuid), public.reports_group_units_on_demand(uuid),
  public.reports_visible_unit_rows_on_demand()
  to authenticated, service_role;
