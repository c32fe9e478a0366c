-- Amends feedback_upsert (20261122023000): versions must follow commit order per cell.
--
-- Found by the marking grid's "two teachers rate the same cell at once" story: when the cell
-- did not exist yet, `select ... for update` locked nothing, both transactions drew a version
-- (nextval) and inserted; the one that lost the unique-key race waited, then updated the row
-- with its EARLIER version and committed LAST. The database then held the last write at a
-- lower version than a row every client had already applied, so clients (rightly ignoring a
-- lower version) kept the other value: views no longer converged on the database. It also
-- recorded old_rating = null in history for the loser, which undo would have restored.
-- Fix: a transaction-scoped advisory lock per cell taken before the row is read and the
-- version drawn, so concurrent writers of one cell are serialised and each sees the other's
-- row as v_old. Same signature, grants and behaviour otherwise.

create or replace function public.feedback_upsert(
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

  -- One writer per cell at a time, BEFORE the version is drawn: versions then follow commit
  -- order even when the cell does not exist yet (FOR UPDATE cannot lock a missing row).
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended(
    'feedback_cell:' || p_assignment_id::text || ':' || p_pupil_id::text || ':' || p_success_criterion_id::text, 0));

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
