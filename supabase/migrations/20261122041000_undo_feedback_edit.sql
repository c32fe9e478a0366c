-- Undo of a teacher's own last edit on an assignment, read from the history table.
--
-- "The last edit" is the caller's latest transaction on the assignment: one cell for a
-- click, every cell of a bulk fill (feedback_history.changed_at is the transaction time,
-- shared by all rows one transaction wrote). Each of those cells goes back to its old
-- rating and comment through public.feedback_upsert (new version, history, recalculation),
-- in one transaction. If anyone changed one of those cells since, nothing is undone:
-- edit_superseded 40001, so an undo never overwrites a colleague's later mark.
-- The undo is itself an edit, so undoing again redoes (a toggle, like most web markbooks).
-- p_client_mutation_id makes a retried undo harmless: if it was already applied, the
-- current rows of the cells it touched come back and nothing is written.
--
-- Error codes: nothing_to_undo P0002, edit_superseded 40001, plus those of feedback_upsert.

create function public.feedback_undo_last(p_assignment_id uuid, p_client_mutation_id uuid)
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
      case when v_first then p_client_mutation_id end
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
