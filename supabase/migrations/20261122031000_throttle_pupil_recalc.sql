-- Recalculate a pupil at once after a quiet spell, and at most once per window during a
-- burst (a leading-edge throttle), instead of always 500 ms later.
--
-- Why: the edit → cached-row target is p95 ≤ 250 ms including any coalescing delay
-- (issue 5); the fixed 500 ms debounce measured p50 520 ms. Now:
--   * an edit after a quiet spell is due now: add_job NOTIFYs and a worker runs it at once;
--   * an edit within RECALC_WINDOW of the pupil's last scheduled run is due at that run +
--     RECALC_WINDOW, so a burst of clicks folds into about one run per window;
--   * job_key_mode 'preserve_run_at' still folds later writes into a pending job without
--     moving its run_at, so continuous clicking cannot starve a pupil (staleness is at most
--     RECALC_WINDOW plus the run). A write while the job runs gets a new job, so nothing is lost.

-- The last run time scheduled per pupil. Internal to enqueue_pupil_recalc; no API access.
create table if not exists private.pupil_recalc_schedule (
  pupil_id uuid primary key references public.pupils (id) on delete cascade,
  scheduled_at timestamptz not null
);
comment on table private.pupil_recalc_schedule is
  'When each pupil''s latest report recalculation was scheduled; drives the leading-edge throttle in private.enqueue_pupil_recalc.';
alter table private.pupil_recalc_schedule enable row level security;
-- No policies: only the definer function below reads or writes it.
revoke all on private.pupil_recalc_schedule from public, anon, authenticated;

create or replace function private.enqueue_pupil_recalc(p_pupil_id uuid) returns void
language plpgsql volatile security definer set search_path = '' as $$
declare
  recalc_window constant interval := interval '250 milliseconds'; -- RECALC_WINDOW
  due_at timestamptz;
begin
  insert into private.pupil_recalc_schedule as s (pupil_id, scheduled_at)
  values (p_pupil_id, pg_catalog.clock_timestamp())
  on conflict (pupil_id) do update set scheduled_at = case
    -- quiet spell: run now
    when s.scheduled_at + recalc_window <= pg_catalog.clock_timestamp() then pg_catalog.clock_timestamp()
    -- a run is still pending in the future: join it
    when s.scheduled_at > pg_catalog.clock_timestamp() then s.scheduled_at
    -- a run was due within the window: the next one, one window later
    else s.scheduled_at + recalc_window
  end
  returning scheduled_at into due_at;

  perform graphile_worker.add_job(
    identifier := 'reports_recalculate_pupil',
    payload := pg_catalog.json_build_object('pupil_id', p_pupil_id),
    run_at := due_at,
    max_attempts := 25, -- exponential backoff: ~3 days of retries, then visible as failed
    job_key := 'reports_recalculate_pupil:' || p_pupil_id::text,
    job_key_mode := 'preserve_run_at'
  );
end
$$;
comment on function private.enqueue_pupil_recalc(uuid) is
  'Enqueues the pupil''s report recalculation: due at once after a quiet spell, at most one per 250 ms window '
  'in a burst, coalesced per pupil. Definer: users have no rights on graphile_worker or the schedule table.';
