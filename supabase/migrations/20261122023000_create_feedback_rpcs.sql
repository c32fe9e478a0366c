-- The marking write path and the grid's read path:
--   feedback_upsert  — ONE transaction: validate, upsert the cell with the next global
--                      version, append history, enqueue the pupil's report recalculation
--                      (graphile-worker job, the transactional outbox). Runs as the caller.
--   assignments_grid_snapshot — everything the marking grid needs for one assignment.
--
-- Error codes (message = stable code the app maps; SQLSTATE for PostgREST's HTTP status):
--   not_authorized 42501 · not_found P0002 · pupil_not_in_group 23514 ·
--   criterion_not_in_unit 23514 · rating_out_of_range 22003

-- ---------------------------------------------------------------------------------------
-- Private helpers that need more rights than the caller.

create function private.assignment_exists(p_assignment_id uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from public.assignments a where a.id = p_assignment_id)
$$;
comment on function private.assignment_exists(uuid) is
  'Tells not_found from not_authorized in feedback_upsert. Definer: the caller cannot see other groups'' assignments.';

create function private.pupil_exists(p_pupil_id uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from public.pupils p where p.id = p_pupil_id)
$$;
comment on function private.pupil_exists(uuid) is
  'Tells not_found from pupil_not_in_group in feedback_upsert. Definer: the caller cannot see other groups'' pupils.';

create function private.append_feedback_history(
  p_feedback_id uuid, p_assignment_id uuid, p_pupil_id uuid, p_success_criterion_id uuid,
  p_old_rating int2, p_new_rating int2, p_old_comment text, p_new_comment text, p_version bigint,
  p_client_mutation_id uuid
) returns void
language sql volatile security definer set search_path = '' as $$
  insert into public.feedback_history (
    feedback_id, assignment_id, pupil_id, success_criterion_id, old_rating, new_rating, old_comment,
    new_comment, version, changed_by, changed_at, client_mutation_id
  ) values (
    p_feedback_id, p_assignment_id, p_pupil_id, p_success_criterion_id, p_old_rating, p_new_rating, p_old_comment,
    p_new_comment, p_version, (select auth.uid()), now(), p_client_mutation_id
  )
$$;
comment on function private.append_feedback_history(uuid, uuid, uuid, uuid, int2, int2, text, text, bigint, uuid) is
  'Appends one audit row (changed_by = the caller). Definer: users have no insert right on the audit trail, '
  'so history can only be written by feedback_upsert after its checks.';

-- Recalculation jobs. job_key_mode 'preserve_run_at' with a short debounce: the first
-- write schedules the pupil's job at now + RECALC_DEBOUNCE and later writes fold into that
-- job WITHOUT moving its run_at, so a teacher clicking continuously on one pupil cannot
-- starve it (staleness <= debounce + run time). 'replace' would push run_at on every
-- click (starvation); 'unsafe_dedupe' would drop writes made while a job is running.
-- A write while the job is already running gets a new job (graphile-worker clears the
-- running job's key), so nothing is lost.
create function private.enqueue_pupil_recalc(p_pupil_id uuid) returns void
language plpgsql volatile security definer set search_path = '' as $$
begin
  perform graphile_worker.add_job(
    identifier := 'reports_recalculate_pupil',
    payload := pg_catalog.json_build_object('pupil_id', p_pupil_id),
    run_at := now() + interval '500 milliseconds', -- RECALC_DEBOUNCE: coalesces a burst of clicks
    max_attempts := 25, -- exponential backoff: ~3 days of retries, then visible as failed
    job_key := 'reports_recalculate_pupil:' || p_pupil_id::text,
    job_key_mode := 'preserve_run_at'
  );
end
$$;
comment on function private.enqueue_pupil_recalc(uuid) is
  'Enqueues (coalesced per pupil) the report recalculation. Definer: users have no rights on graphile_worker.';

revoke execute on function private.assignment_exists(uuid), private.pupil_exists(uuid),
  private.append_feedback_history(uuid, uuid, uuid, uuid, int2, int2, text, text, bigint, uuid),
  private.enqueue_pupil_recalc(uuid) from public, anon;
grant execute on function private.assignment_exists(uuid), private.pupil_exists(uuid),
  private.append_feedback_history(uuid, uuid, uuid, uuid, int2, int2, text, text, bigint, uuid),
  private.enqueue_pupil_recalc(uuid) to authenticated, service_role;

-- ---------------------------------------------------------------------------------------
-- feedback_upsert

create function public.feedback_upsert(
  p_assignment_id uuid,
  p_pupil_id uuid,
  p_success_criterion_id uuid,
  p_rating integer,
  p_comment text default null,
  p_client_mutation_id uuid default null
) returns public.feedback
language plpgsql volatile security invoker set search_path = '' as $$
declare
  v_assignment record;
  v_criterion_unit uuid;
  v_old public.feedback;
  v_row public.feedback;
begin
  if (select auth.uid()) is null then
    raise exception 'not_authorized' using errcode = '42501';
  end if;
  if p_rating is not null and (p_rating < 0 or p_rating > 3) then
    raise exception 'rating_out_of_range' using errcode = '22003', detail = 'rating must be 0..3 or null';
  end if;

  -- The assignment, as the caller sees it (RLS), and whether they may mark its group.
  select a.id, a.group_id, a.unit_id into v_assignment from public.assignments a where a.id = p_assignment_id;
  if not found then
    if private.assignment_exists(p_assignment_id) then
      raise exception 'not_authorized' using errcode = '42501';
    end if;
    raise exception 'not_found' using errcode = 'P0002', detail = 'assignment';
  end if;
  if v_assignment.group_id not in (select private.markable_group_ids()) then
    raise exception 'not_authorized' using errcode = '42501';
  end if;

  if not exists (
    select 1 from public.group_pupils gp where gp.group_id = v_assignment.group_id and gp.pupil_id = p_pupil_id
  ) then
    if private.pupil_exists(p_pupil_id) then
      raise exception 'pupil_not_in_group' using errcode = '23514';
    end if;
    raise exception 'not_found' using errcode = 'P0002', detail = 'pupil';
  end if;

  select sc.unit_id into v_criterion_unit from public.success_criteria sc where sc.id = p_success_criterion_id;
  if not found then
    raise exception 'not_found' using errcode = 'P0002', detail = 'success_criterion';
  end if;
  if v_criterion_unit <> v_assignment.unit_id then
    raise exception 'criterion_not_in_unit' using errcode = '23514';
  end if;

  -- Idempotency: a retried mutation returns the current row without a new version.
  if p_client_mutation_id is not null then
    perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('feedback_upsert:' || p_client_mutation_id::text, 0));
    if exists (select 1 from public.feedback_history h where h.client_mutation_id = p_client_mutation_id) then
      select f.* into v_row from public.feedback f
      where f.assignment_id = p_assignment_id and f.pupil_id = p_pupil_id and f.success_criterion_id = p_success_criterion_id;
      return v_row;
    end if;
  end if;

  select f.* into v_old from public.feedback f
  where f.assignment_id = p_assignment_id and f.pupil_id = p_pupil_id and f.success_criterion_id = p_success_criterion_id
  for update;

  insert into public.feedback as f (
    assignment_id, pupil_id, success_criterion_id, rating, comment, updated_by, updated_at, version, client_mutation_id
  ) values (
    p_assignment_id, p_pupil_id, p_success_criterion_id, p_rating::int2, p_comment, (select auth.uid()), now(),
    nextval('public.feedback_version_seq'), p_client_mutation_id
  )
  on conflict (assignment_id, pupil_id, success_criterion_id) do update set
    rating = excluded.rating,
    comment = excluded.comment,
    updated_by = excluded.updated_by,
    updated_at = excluded.updated_at,
    version = excluded.version,
    client_mutation_id = excluded.client_mutation_id
  returning f.* into v_row;

  perform private.append_feedback_history(
    v_row.id, v_row.assignment_id, v_row.pupil_id, v_row.success_criterion_id, v_old.rating, v_row.rating,
    v_old.comment, v_row.comment, v_row.version, p_client_mutation_id
  );
  perform private.enqueue_pupil_recalc(p_pupil_id);
  return v_row;
end
$$;
comment on function public.feedback_upsert(uuid, uuid, uuid, integer, text, uuid) is
  'Writes one marking cell (rating 0..3 or null to clear, comment) with the next global version, appends '
  'history and enqueues the pupil''s report recalculation, in one transaction. Returns the authoritative row. '
  'Same p_client_mutation_id twice -> one write. Errors: not_authorized, not_found, pupil_not_in_group, '
  'criterion_not_in_unit, rating_out_of_range.';

-- ---------------------------------------------------------------------------------------
-- assignments_grid_snapshot: one call, one snapshot. Returns jsonb (parsed with zod at the
-- edge) because it is three row sets:
--   { assignment: {id, title, set_on, due_on, group_id, group_name, unit_id, unit_name},
--     criteria: [{id, position, description}],
--     pupils:   [{id, first_name, last_name}],
--     feedback: [{id, pupil_id, success_criterion_id, rating, comment, updated_by, updated_at,
--                 version, client_mutation_id}],
--     max_version: bigint | null }
create function public.assignments_grid_snapshot(p_assignment_id uuid)
returns jsonb
language plpgsql stable security invoker set search_path = '' as $$
declare
  v_result jsonb;
begin
  select pg_catalog.jsonb_build_object(
    'assignment', pg_catalog.jsonb_build_object(
      'id', a.id, 'title', a.title, 'set_on', a.set_on, 'due_on', a.due_on,
      'group_id', g.id, 'group_name', g.name, 'unit_id', u.id, 'unit_name', u.name),
    'criteria', coalesce((
      select pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('id', sc.id, 'position', sc.position,
        'description', sc.description) order by sc.position)
      from public.success_criteria sc where sc.unit_id = a.unit_id), '[]'::jsonb),
    'pupils', coalesce((
      select pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('id', p.id, 'first_name', p.first_name,
        'last_name', p.last_name) order by p.last_name, p.first_name, p.id)
      from public.group_pupils gp join public.pupils p on p.id = gp.pupil_id
      where gp.group_id = a.group_id), '[]'::jsonb),
    'feedback', coalesce((
      select pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('id', f.id, 'pupil_id', f.pupil_id,
        'success_criterion_id', f.success_criterion_id, 'rating', f.rating, 'comment', f.comment,
        'updated_by', f.updated_by, 'updated_at', f.updated_at, 'version', f.version,
        'client_mutation_id', f.client_mutation_id) order by f.version)
      from public.feedback f where f.assignment_id = a.id), '[]'::jsonb),
    'max_version', (select max(f.version) from public.feedback f where f.assignment_id = a.id)
  ) into v_result
  from public.assignments a
  join public.groups g on g.id = a.group_id
  join public.units u on u.id = a.unit_id
  where a.id = p_assignment_id;
  if v_result is null then
    raise exception 'not_found' using errcode = 'P0002', detail = 'assignment';
  end if;
  return v_result;
end
$$;
comment on function public.assignments_grid_snapshot(uuid) is
  'Everything the marking grid needs for one assignment (assignment, criteria, pupils, feedback with versions) '
  'in one call and one snapshot. not_found when missing or not readable.';

revoke execute on function public.feedback_upsert(uuid, uuid, uuid, integer, text, uuid),
  public.assignments_grid_snapshot(uuid) from public, anon, authenticated;
grant execute on function public.feedback_upsert(uuid, uuid, uuid, integer, text, uuid),
  public.assignments_grid_snapshot(uuid) to authenticated, service_role;
