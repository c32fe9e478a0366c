/**
 * The recalculation queue (graphile-worker, enqueued inside feedback_upsert): a burst of
 * 100 writes to one pupil coalesces into a handful of recalculations, never 100; the
 * pending job's run_at is not pushed back by later writes (preserve_run_at: continuous
 * clicking cannot starve a pupil); and the final cache equals the on-demand result.
 *
 * Other test files enqueue jobs too; these workers only run this file's pupils and fail
 * anyone else's job (it stays queued for retry), so they never disturb other files' counts.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { Logger, makeWorkerUtils, run, runOnce, type Task, type TaskList } from 'graphile-worker';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { clientAs } from '../../fixtures/school/api-clients';
import { makeGroupWithPupils, type SchoolGroup } from '../../fixtures/school/make-group-with-pupils';
import { cachedReport, onDemandReport } from '../../fixtures/school/report-cache-queries';

const stack = inject('stack');
const silent = new Logger(() => () => {});
const POLL_MS = 50; // condition polling, not a fixed wait
const DRAIN_TIMEOUT_MS = 20_000;
let db: pg.Client;
let group: SchoolGroup;
let teacher: SupabaseClient;

beforeAll(async () => {
  db = new pg.Client({ connectionString: stack.dbUrl });
  await db.connect();
  group = await makeGroupWithPupils(db, { pupils: 2, units: 2, criteriaPerUnit: 3, assignmentsPerUnit: 2 });
  teacher = await clientAs(stack, group.teacherId);
});
afterAll(() => db.end());

/** The worker's task, counting runs per pupil; other files' pupils are refused. */
function recalcTaskList(runs: Map<string, number>): TaskList {
  const task: Task = async (payload, helpers) => {
    const pupilId = (payload as { pupil_id: string }).pupil_id;
    if (!group.pupilIds.includes(pupilId)) throw new Error('not this test file\'s pupil');
    await helpers.withPgClient((client) => client.query('select public.reports_recalculate_pupil($1)', [pupilId]));
    runs.set(pupilId, (runs.get(pupilId) ?? 0) + 1);
  };
  return { reports_recalculate_pupil: task };
}

async function burst(pupilId: string, writes: number): Promise<void> {
  for (let i = 0; i < writes; i += 1) {
    const unit = group.units[i % group.units.length]!;
    const { error } = await teacher.rpc('feedback_upsert', {
      p_assignment_id: unit.assignmentIds[i % unit.assignmentIds.length],
      p_pupil_id: pupilId,
      p_success_criterion_id: unit.criterionIds[(i * 7) % unit.criterionIds.length],
      p_rating: i % 5 === 4 ? null : i % 4,
    });
    expect(error).toBeNull();
  }
}

type JobRow = { id: string; run_at: Date; revision: number };
async function pendingJobs(pupilId: string): Promise<JobRow[]> {
  const result = await db.query<JobRow>(
    // _private_jobs: the public jobs view does not expose payloads (running jobs may have lost their key).
    `select id::text, run_at, revision from graphile_worker._private_jobs where payload->>'pupil_id' = $1`,
    [pupilId],
  );
  return result.rows;
}

async function waitUntil(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

describe('recalc queue', () => {
  test('100 writes leave one job whose run_at later writes do not move; one run brings the cache up to date', async () => {
    const pupilId = group.pupilIds[0]!;
    await burst(pupilId, 1);
    const [first] = await pendingJobs(pupilId);
    const firstWrite = await db.query<{ updated_at: Date }>(`select max(updated_at) as updated_at from public.feedback where pupil_id = $1`, [pupilId]);
    // After a quiet spell the job is due at once (leading edge), not after a delay.
    const dueAfterWriteMs = first!.run_at.getTime() - firstWrite.rows[0]!.updated_at.getTime();
    expect(dueAfterWriteMs).toBeGreaterThanOrEqual(0);
    expect(dueAfterWriteMs).toBeLessThan(250);

    await burst(pupilId, 99);
    const jobs = await pendingJobs(pupilId);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ id: first!.id, run_at: first!.run_at, revision: 99 });

    const utils = await makeWorkerUtils({ connectionString: stack.dbUrl, logger: silent });
    try {
      await utils.rescheduleJobs([first!.id], { runAt: new Date(0) });
    } finally {
      await utils.release();
    }
    const runs = new Map<string, number>();
    await runOnce({ connectionString: stack.dbUrl, logger: silent, noHandleSignals: true, concurrency: 1 }, recalcTaskList(runs));
    expect(runs.get(pupilId)).toBe(1);
    expect(await pendingJobs(pupilId)).toEqual([]);
    expect(await cachedReport(db, pupilId)).toEqual(await onDemandReport(db, pupilId));
  });

  test('with a worker running, a burst of 100 writes yields a handful of recalculations and a correct cache', async () => {
    const pupilId = group.pupilIds[1]!;
    const runs = new Map<string, number>();
    const runner = await run(
      { connectionString: stack.dbUrl, logger: silent, noHandleSignals: true, concurrency: 2, pollInterval: 100 },
      recalcTaskList(runs),
    );
    try {
      await burst(pupilId, 100);
      await waitUntil(async () => (await pendingJobs(pupilId)).length === 0);
    } finally {
      await runner.stop();
    }
    const recalcs = runs.get(pupilId) ?? 0;
    expect(recalcs).toBeGreaterThanOrEqual(1);
    expect(recalcs).toBeLessThanOrEqual(10);
    expect(await cachedReport(db, pupilId)).toEqual(await onDemandReport(db, pupilId));
  });
});
