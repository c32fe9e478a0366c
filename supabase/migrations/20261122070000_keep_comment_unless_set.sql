-- Replaces feedback_upsert (20261122043000): a save that does not set the comment keeps it.
--
-- Data loss: feedback_upsert always wrote `comment = excluded.comment`, and p_comment
-- defaults to null, so any caller that saved only a rating (saveFeedback without `comment`,
-- a direct rpc('feedback_upsert') with only p_rating) silently wiped the teacher's comment.
-- The marking grid hid this by always resending the current comment; other callers did not.
-- A null p_comment cannot tell "leave it" from "clear it", so the intent is now explicit:
--   p_set_comment boolean default false
--     false -> the existing comment is kept (a new cell gets null); p_comment is ignored.
--     true  -> the comment becomes p_comment (null clears it).
-- Everything else in the body is unchanged from 20261122043000 (per-cell lock before the
-- version is drawn, idempotency by client_mutation_id, history row, recalculation enqueue);
-- history's old/new comment is what was actually written (v_old / the returned row).
--
-- The old 6-argument signature is dropped in this migration so PostgREST sees exactly one
-- feedback_upsert (two overloads would make rpc() calls ambiguous). Positional calls with
-- six arguments resolve to the new function with p_set_comment = false.
-- Callers inside the database:
--   feedback_undo_last restores each cell's old comment (null included), so it is replaced
--     here to pass p_set_comment = true; otherwise identical to 20261122041000.
--   feedback_fill_cells (a rating fill) is meant to keep comments: with the default false it
--     now keeps the comment read under the cell lock; the value it passes is ignored.

drop function public.feedback_upsert(uuid, uuid, uuid, integer, text, uuid);

create function public.feedback_upsert(
  p_assignment_id uuid,
  p_pupil_id uuid,
  p_success_criterion_id uuid,
  p_rating integer,
  p_comment text default null,
  p_client_mutation_id uuid default null,
  p_set_comment boolean default false
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
    p_assignment_id, p_pupil_id, p_success_criterion_id, p_rating::int2,
    case when p_set_comment then p_comment end, (select auth.uid()), now(),
    nextval('public.feedback_version_seq'), p_client_mutation_id
  )
  on conflict (assignment_id, pupil_id, success_criterion_id) do update set
    rating = excluded.rating,
    -- Only a caller that sets the comment changes it; a rating-only save keeps the teacher's text.
    comment = case when p_set_comment then excluded.comment else f.comment end,
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
comment on function public.feedback_upsert(uuid, uuid, uuid, integer, text, uuid, boolean) is
  'Writes one marking cell (rating 0..3 or null to clear) with the next global version, appends '
  'history and enqueues the pupil''s report recalculation, in one transaction. Returns the authoritative row. '
  'The comment changes only when p_set_comment is true (to p_comment; null clears it); otherwise it is kept. '
  'Same p_client_mutation_id twice -> one write. Errors: not_authorized, not_found, pupil_not_in_group, '
  'criterion_not_in_unit, rating_out_of_range.';

revoke execute on function public.feedback_upsert(uuid, uuid, uuid, integer, text, uuid, boolean)
  from public, anon, authenticated;
grant execute on function public.feedback_upsert(uuid, uuid, uuid, integer, text, uuid, boolean)
  to authenticated, service_role;

-- ---------------------------------------------------------------------------------------
-- feedback_undo_last: same signature and behaviour; it sets the comment explicitly.

create or replace function public.feedback_undo_last(p_assignment_id uuid, p_client_mutation_id uuid)
returns setof public.feedback
language plpgsql volatile security invoker set search_path = '' as $$
declare
  v_me uuid := (select auth.uid());
  v_at timestamptz;
  v_edit record;
  v_first boolean := true;
begin
  if v_me is null then
    raise exception 'not_authorized' using errcode = '42501';
  end if;
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('feedback_undo:' || p_client_mutation_id::text, 0));
  select h.changed_at into v_at from public.feedback_history h
  where h.client_mutation_id = p_client_mutation_id and h.changed_by = v_me;
  if found then
    -- Already applied: the rows of the cells that undo wrote.
    return query
      select f.* from public.feedback f
      join public.feedback_history h on h.feedback_id = f.id
      where h.assignment_id = p_assignment_id and h.changed_by = v_me and h.changed_at = v_at;
    return;
  end if;

  select max(h.changed_at) into v_at from public.feedback_history h
  where h.assignment_id = p_assignment_id and h.changed_by = v_me;
  if v_at is null then
    raise exception 'nothing_to_undo' using errcode = 'P0002';
  end if;

  -- Lock the cells, then refuse if any moved on since the edit being undone.
  perform 1 from public.feedback f
  join public.feedback_history h on h.feedback_id = f.id
  where h.assignment_id = p_assignment_id and h.changed_by = v_me and h.changed_at = v_at
  for update of f;
  if exists (
    select 1 from public.feedback_history h
    join public.feedback f on f.id = h.feedback_id
    where h.assignment_id = p_assignment_id and h.changed_by = v_me and h.changed_at = v_at
      and f.version <> h.version
  ) then
    raise exception 'edit_superseded' using errcode = '40001';
  end if;

  for v_edit in
    select h.pupil_id, h.success_criterion_id, h.old_rating, h.old_comment
    from public.feedback_history h
    where h.assignment_id = p_assignment_id and h.changed_by = v_me and h.changed_at = v_at
    order by h.version
  loop
    return next public.feedback_upsert(
      p_assignment_id, v_edit.pupil_id, v_edit.success_criterion_id, v_edit.old_rating::integer, v_edit.old_comment,
      case when v_first then p_client_mutation_id end,
      true -- p_set_comment: undo restores the old comment too, null included
    );
    v_first := false;
  end loop;
  return;
end
$$;
comment on function public.feedback_undo_last(uuid, uuid) is
  'Undoes the caller''s latest edit (one transaction: a click or a bulk fill) on an assignment using '
  'feedback_history: each cell back to its old rating and comment, newly versioned, in one transaction. '
  'Errors: nothing_to_undo, edit_superseded (someone changed a cell since), those of feedback_upsert.';

revoke execute on function public.feedback_undo_last(uuid, uuid) from public, anon, authenticated;
grant execute on function public.feedback_undo_last(uuid, uuid) to authenticated, service_role;
