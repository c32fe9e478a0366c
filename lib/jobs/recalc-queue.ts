/**
 * Bulk enqueueing of pupil recalculations and their progress, straight on graphile-worker's
 * tables (the warm script and the benchmark; server-side only, DATABASE_URL). Jobs use the
 * same task, payload and job key as enqueue_pupil_recalc, so a warm job and a marking
 * click for the same pupil coalesce into one.
 */
import type { WorkerUtils } from 'graphile-worker';
import type pg from 'pg';
import { RECALCULATE_PUPIL_TASK } from './recalculate-pupil-task';

const MAX_ATTEMPTS = 25; // as enqueue_pupil_recalc
/** Below interactive edits (priority 0): a warm of the whole school never delays a teacher's report. */
export const WARM_PRIORITY = 10;
const ENQUEUE_BATCH = 500;

export function recalcJobKey(pupilId: string): string {
  return `${RECALCULATE_PUPIL_TASK}:${pupilId}`;
}

export async function enqueuePupilRecalcs(utils: WorkerUtils, pupilIds: readonly string[]): Promise<void> {
  for (let start = 0; start < pupilIds.length; start += ENQUEUE_BATCH) {
    const specs = pupilIds.slice(start, start + ENQUEUE_BATCH).map((pupilId) => ({
      identifier: RECALCULATE_PUPIL_TASK,
      payload: { pupil_id: pupilId },
      jobKey: recalcJobKey(pupilId),
      maxAttempts: MAX_ATTEMPTS,
      priority: WARM_PRIORITY,
    }));
    await utils.addJobs(specs, true); // preserve an already-scheduled job's run_at
  }
}

export type RecalcProgress = { total: number; done: number; failing: number; pending: number };

/**
 * Where these pupils' jobs stand: done (no job left), failing (last attempt failed and not
 * running: retrying later or given up) or pending (waiting or running).
 */
export async function recalcProgress(db: pg.ClientBase, pupilIds: readonly string[]): Promise<RecalcProgress & { failingPupils: string[] }> {
  const result = await db.query<{ pupil_id: string; failing: boolean }>(
    `select distinct on (j.payload->>'pupil_id') j.payload->>'pupil_id' as pupil_id,
            (j.last_error is not null and j.locked_at is null) as failing
       from graphile_worker._private_jobs j
       join graphile_worker._private_tasks t on t.id = j.task_id
      where t.identifier = $1 and j.payload->>'pupil_id' = any($2::text[])
      order by j.payload->>'pupil_id', (j.last_error is not null and j.locked_at is null)`,
    [RECALCULATE_PUPIL_TASK, pupilIds],
  );
  const failingPupils = result.rows.filter((row) => row.failing).map((row) => row.pupil_id);
  return {
    total: pupilIds.length,
    done: pupilIds.length - result.rows.length,
    failing: failingPupils.length,
    pending: result.rows.length - failingPupils.length,
    failingPupils,
  };
}

/** Rows the cache holds for these pupils, across the three cached tables. */
export async function cachedRowCount(db: pg.ClientBase, pupilIds: readonly string[]): Promise<number> {
  const result = await db.query<{ n: string }>(
    `select ((select count(*) from public.report_pupil_unit_summaries where pupil_id = any($1::uuid[]))
           + (select count(*) from public.report_pupil_summary where pupil_id = any($1::uuid[]))
           + (select count(*) from public.report_pupil_feedback_cache where pupil_id = any($1::uuid[])))::text as n`,
    [pupilIds],
  );
  return Number(result.rows[0]!.n);
}

export type WarmScope = { kind: 'all' } | { kind: 'group'; id: string } | { kind: 'pupil'; id: string };

/** The pupils a warm covers: everyone, a group's pupils, or one pupil. */
export async function pupilsInScope(db: pg.ClientBase, scope: WarmScope): Promise<string[]> {
  const result =
    scope.kind === 'all'
      ? await db.query<{ id: string }>(`select id from public.pupils order by id`)
      : scope.kind === 'group'
        ? await db.query<{ id: string }>(`select pupil_id as id from public.group_pupils where group_id = $1 order by pupil_id`, [scope.id])
        : await db.query<{ id: string }>(`select id from public.pupils where id = $1`, [scope.id]);
  return result.rows.map((row) => row.id);
}
