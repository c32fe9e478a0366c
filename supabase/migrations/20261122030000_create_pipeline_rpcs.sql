-- What the feedback write pipeline needs beyond the school schema:
--   reports_pupil_units_on_demand — /reports/[pupilId] computed from feedback, same columns
--                                   as reports_pupil_units (REPORTS_SOURCE=live and the
--                                   cache-miss fallback);
--   reports_request_recalc        — a reader asks for a pupil's recalculation when the
--                                   loader found no cached rows (REPORTS_SOURCE=cache);
--   ops_job_failures              — recalculation jobs that failed (retrying or given up)
--                                   with their last error, for the ops page;
--   ops_job_queue_summary         — queue depth, running, retrying, failed, oldest wait.
-- graphile-worker keeps a job that reached max_attempts with its last_error; users have no
-- rights on graphile_worker, so the ops reads are definer functions that check is_admin.
-- plpgsql (late-bound) so a hosted project can apply this before the worker installs the
-- graphile_worker schema.

create function public.reports_pupil_units_on_demand(p_pupil_id uuid)
returns table (
  unit_id uuid, unit_name text, unit_position int2, department_id uuid, group_ids uuid[],
  assignments_counted int4, criteria_rated int4, average_rating numeric(4, 2), working_level text,
  last_feedback_at timestamptz, source_version bigint, computed_at timestamptz
)
language sql stable security invoker set search_path = '' as $$
  select r.unit_id, u.name, u.position, u.department_id, r.group_ids, r.assignments_counted, r.criteria_rated,
    r.average_rating, r.working_level, r.last_feedback_at, r.source_version, now()
  from public.reports_prepared_dataset(p_pupil_id) r
  join public.units u on u.id = r.unit_id
  order by u.department_id, u.position, u.name
$$;
comment on function public.reports_pupil_units_on_demand(uuid) is
  'Same rows as reports_pupil_units, computed from feedback now (computed_at = now()); for REPORTS_SOURCE=live '
  'and the cache-miss fallback.';

create function public.reports_request_recalc(p_pupil_id uuid)
returns void
language plpgsql volatile security invoker set search_path = '' as $$
begin
  if (select auth.uid()) is null and (select auth.role()) is distinct from 'service_role' then
    raise exception 'not_authorized' using errcode = '42501';
  end if;
  if (select auth.role()) is distinct from 'service_role'
     and p_pupil_id not in (select private.readable_pupil_ids()) then
    raise exception 'not_authorized' using errcode = '42501';
  end if;
  perform private.enqueue_pupil_recalc(p_pupil_id);
end
$$;
comment on function public.reports_request_recalc(uuid) is
  'Enqueues (coalesced per pupil) a recalculation of a pupil the caller may read. Called by the report loader '
  'when the cache has no rows for a pupil who has rated feedback. not_authorized otherwise.';

create function public.ops_job_failures(p_limit int4 default 100)
returns table (
  job_id bigint, task_identifier text, pupil_id uuid, attempts int2, max_attempts int2, gave_up boolean,
  last_error text, run_at timestamptz, created_at timestamptz, updated_at timestamptz
)
language plpgsql stable security definer set search_path = '' as $$
begin
  if not private.is_admin() and (select auth.role()) is distinct from 'service_role' then
    raise exception 'not_authorized' using errcode = '42501';
  end if;
  return query
  select j.id, t.identifier, (j.payload ->> 'pupil_id')::uuid, j.attempts, j.max_attempts,
    j.attempts >= j.max_attempts, j.last_error, j.run_at, j.created_at, j.updated_at
  from graphile_worker._private_jobs j
  join graphile_worker._private_tasks t on t.id = j.task_id
  where j.last_error is not null
  order by (j.attempts >= j.max_attempts) desc, j.updated_at desc
  limit least(greatest(p_limit, 1), 1000);
end
$$;
comment on function public.ops_job_failures(int4) is
  '/ops: jobs whose last attempt failed, given-up ones (attempts = max_attempts, kept by graphile-worker) first, '
  'with the error. Definer: users have no rights on graphile_worker; admins and service_role only.';

create function public.ops_job_queue_summary()
returns table (
  task_identifier text, waiting int8, scheduled int8, running int8, retrying int8, failed int8,
  oldest_waiting_since timestamptz
)
language plpgsql stable security definer set search_path = '' as $$
begin
  if not private.is_admin() and (select auth.role()) is distinct from 'service_role' then
    raise exception 'not_authorized' using errcode = '42501';
  end if;
  return query
  select t.identifier,
    count(*) filter (where j.locked_at is null and j.attempts < j.max_attempts and j.run_at <= now()),
    count(*) filter (where j.locked_at is null and j.attempts < j.max_attempts and j.run_at > now()),
    count(*) filter (where j.locked_at is not null),
    count(*) filter (where j.locked_at is null and j.last_error is not null and j.attempts < j.max_attempts),
    count(*) filter (where j.attempts >= j.max_attempts),
    min(j.run_at) filter (where j.locked_at is null and j.attempts < j.max_attempts and j.run_at <= now())
  from graphile_worker._private_jobs j
  join graphile_worker._private_tasks t on t.id = j.task_id
  group by t.identifier
  order by t.identifier;
end
$$;
comment on function public.ops_job_queue_summary() is
  '/ops: per task, jobs waiting (due), scheduled (debounced/backing off), running, retrying, failed (gave up) '
  'and the oldest due job''s run_at. Definer: see ops_job_failures; admins and service_role only.';

revoke execute on function public.reports_pupil_units_on_demand(uuid), public.reports_request_recalc(uuid),
  public.ops_job_failures(int4), public.ops_job_queue_summary() from public, anon, authenticated;
grant execute on function public.reports_pupil_units_on_demand(uuid), public.reports_request_recalc(uuid),
  public.ops_job_failures(int4), public.ops_job_queue_summary() to authenticated, service_role;
