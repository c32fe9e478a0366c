-- Bulk fill for the marking grid: set many cells of one assignment (a whole criterion
-- column or a whole pupil row) to one rating in ONE call and ONE transaction.
--
-- Each cell goes through public.feedback_upsert, so every cell gets its own version from
-- the global sequence, its own history row, and its pupil's recalculation job (coalesced
-- per pupil by the job key), with the same checks and error codes as a single edit. The
-- client sends one client_mutation_id per cell: the grid treats a fill as many pending
-- edits and matches each echo to its cell; a retried fill writes nothing twice.
-- The cell's comment is kept (a rating fill never wipes a teacher's comment).
--
-- Error codes: those of feedback_upsert, plus cells_mismatch 22023 (arrays of different
-- lengths) and too_many_cells 54000 (more than FILL_MAX_CELLS cells in one call).

create function public.feedback_fill_cells(
  p_assignment_id uuid,
  p_rating integer,
  p_pupil_ids uuid[],
  p_success_criterion_ids uuid[],
  p_client_mutation_ids uuid[]
) returns setof public.feedback
language plpgsql volatile security invoker set search_path = '' as $$
declare
  v_count int := coalesce(pg_catalog.array_length(p_pupil_ids, 1), 0);
  v_comment text;
  v_row public.feedback;
begin
  if v_count <> coalesce(pg_catalog.array_length(p_success_criterion_ids, 1), 0)
     or v_count <> coalesce(pg_catalog.array_length(p_client_mutation_ids, 1), 0) then
    raise exception 'cells_mismatch' using errcode = '22023';
  end if;
  -- FILL_MAX_CELLS = 3000: a 250-pupil group x 12 criteria, the largest grid we plan for.
  if v_count > 3000 then
    raise exception 'too_many_cells' using errcode = '54000';
  end if;
  for i in 1 .. v_count loop
    select f.comment into v_comment from public.feedback f
    where f.assignment_id = p_assignment_id and f.pupil_id = p_pupil_ids[i]
      and f.success_criterion_id = p_success_criterion_ids[i];
    v_row := public.feedback_upsert(
      p_assignment_id, p_pupil_ids[i], p_success_criterion_ids[i], p_rating, v_comment, p_client_mutation_ids[i]
    );
    return next v_row;
  end loop;
  return;
end
$$;
comment on function public.feedback_fill_cells(uuid, integer, uuid[], uuid[], uuid[]) is
  'Bulk fill: sets the given cells (pupil_ids[i], success_criterion_ids[i]) of one assignment to one rating '
  '(or null to clear) in one transaction; each cell versioned, with history and recalculation, comment kept. '
  'Returns the authoritative rows. One client_mutation_id per cell (idempotent per cell). Errors: those of '
  'feedback_upsert, cells_mismatch, too_many_cells.';

revoke execute on function public.feedback_fill_cells(uuid, integer, uuid[], uuid[], uuid[]) from public, anon, authenticated;
grant execute on function public.feedback_fill_cells(uuid, integer, uuid[], uuid[], uuid[]) to authenticated, service_role;
