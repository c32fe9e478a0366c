/**
 * The report worker as real processes (scripts/worker.ts): the cache catches up after a
 * write; a worker killed with SIGKILL mid-job loses nothing (another completes the job once
 * the lock is stale); transient failures are retried with exponential backoff, permanent
 * ones end failed and visible to admins; 200 rapid edits from 4 teachers coalesce into far
 * fewer recalculations with a correct cache. Tests run in order: each owns its workers, and
 * this is the only file that runs workers.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, inject, test } from 'vitest';
import { saveFeedback } from '@/lib/feedback/save-feedback';
import type { SaveFeedbackInput } from '@/lib/feedback/schemas';
import { demoStaff } from '../../fixtures/school/demo-school';
import { makeGroupWithPupils, makeStaff, type SchoolGroup } from '../../fixtures/school/make-group-with-pupils';
import { cachedReport, onDemandReport } from '../../fixtures/school/report-cache-queries';
import { seededRandom } from '../../fixtures/school/seeded-random';
import { INJECTED_ERROR, installFailureInjection, planFailures, removeFailureInjection } from '../../fixtures/pipeline/failure-injection';
import { jobsForPupil, RECALC_LOCK_KEY_SQL } from '../../fixtures/pipeline/queue-queries';
import { typedClientAs, type TypedClient } from '../../fixtures/pipeline/typed-clients';
import { waitUntil } from '../../fixtures/pipeline/wait-until';
import { jobLines, readTelemetryText, startWorkerProcess, type WorkerProcess } from '../../fixtures/pipeline/worker-process';

const stack = inject('stack');
const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../../..');
let db: pg.Client;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  db = new pg.Client({ connectionString: stack.dbUrl });
  await db.connect();
});
// Each test's workers stop with it (stop() is a no-op once gone), so a failed test cannot
// leave a worker behind to claim the next test's jobs.
afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.stop()));
});
afterAll(async () => {
  await db.end();
});

async function worker(env: Record<string, string> = {}): Promise<WorkerProcess> {
  const started = await startWorkerProcess(stack, env);
  workers.push(started);
  return started;
}

function cellOf(group: SchoolGroup, pupilId: string, i: number, rating: number | null): SaveFeedbackInput {
  const unit = group.units[i % group.units.length]!;
  return {
    assignmentId: unit.assignmentIds[i % unit.assignmentIds.length]!,
    pupilId,
    successCriterionId: unit.criterionIds[Math.floor(i / group.units.length) % unit.criterionIds.length]!,
    rating,
    clientMutationId: randomUUID(),
  };
}

async function expectSaved(client: TypedClient, input: SaveFeedbackInput): Promise<number> {
  const result = await saveFeedback(client, input);
  if (!result.ok) throw new Error(`save failed: ${result.code}`);
  return result.data.version;
}

async function cacheIsCurrent(pupilId: string): Promise<boolean> {
  if ((await jobsForPupil(db, pupilId)).length > 0) return false;
  return JSON.stringify(await cachedReport(db, pupilId)) === JSON.stringify(await onDemandReport(db, pupilId));
}

describe('report worker', () => {
  test('the cache catches up after the action returned with the job pending; SIGTERM stops cleanly', async () => {
    const group = await makeGroupWithPupils(db, { pupils: 1, units: 1, criteriaPerUnit: 2, assignmentsPerUnit: 1 });
    const teacher = await typedClientAs(stack, group.teacherId);
    const pupilId = group.pupilIds[0]!;

    // No worker yet: with one running, the job (due at once, NOTIFY) can be done before
    // this check runs, which made the test flaky and left its worker to eat later tests' jobs.
    const version = await expectSaved(teacher, cellOf(group, pupilId, 0, 2));
    expect(await jobsForPupil(db, pupilId)).toHaveLength(1); // queued at response time
    expect(await cacheIsCurrent(pupilId)).toBe(false);
    const running = await worker();
    await waitUntil(() => cacheIsCurrent(pupilId), 'the cache to catch up');
    const summary = await db.query(`select source_version::text as v from public.report_pupil_summary where pupil_id = $1`, [pupilId]);
    expect(Number(summary.rows[0].v)).toBe(version);

    await waitUntil(async () => (await jobLines(running.telemetryDir)).some((l) => l.params.pupilId === pupilId), 'the job telemetry line');
    const [line] = (await jobLines(running.telemetryDir)).filter((l) => l.params.pupilId === pupilId);
    expect(line).toMatchObject({ outcome: 'ok', params: { attempt: 1 } });
    expect(line!.durationMs).toBeGreaterThan(0);
    expect(line!.rowCount).toBeGreaterThan(0);
    expect(await running.stop()).toEqual({ code: 0, signal: null });
    expect(await readTelemetryText(running.telemetryDir)).not.toContain(stack.serviceRoleKey);
  });

  test('a worker killed with SIGKILL mid-job: another worker completes the job once its lock is stale', async () => {
    const group = await makeGroupWithPupils(db, { pupils: 1, units: 1, criteriaPerUnit: 2, assignmentsPerUnit: 1 });
    const teacher = await typedClientAs(stack, group.teacherId);
    const pupilId = group.pupilIds[0]!;
    await expectSaved(teacher, cellOf(group, pupilId, 0, 3));
    await expectSaved(teacher, cellOf(group, pupilId, 1, 1));
    const [job] = await jobsForPupil(db, pupilId);

    // Hold the procedure's per-pupil lock so worker A's call blocks mid-job.
    const blocker = new pg.Client({ connectionString: stack.dbUrl });
    await blocker.connect();
    await blocker.query('begin');
    await blocker.query(`select pg_advisory_xact_lock(${RECALC_LOCK_KEY_SQL})`, [pupilId]);
    const waitingOnLock = async () => {
      const result = await db.query(
        `select pid from pg_locks where locktype = 'advisory' and not granted
           and ((classid::bigint << 32) | objid::bigint) = ${RECALC_LOCK_KEY_SQL}`,
        [pupilId],
      );
      return result.rows as Array<{ pid: number }>;
    };
    const workerA = await worker();
    try {
      await waitUntil(async () => (await waitingOnLock()).length > 0, 'worker A to be mid-job');
      const [claimed] = await jobsForPupil(db, pupilId);
      expect(claimed).toMatchObject({ id: job!.id, attempts: 1 });
      expect(claimed!.locked_by).not.toBeNull();

      expect((await workerA.kill()).signal).toBe('SIGKILL');
      // The dead worker's request is still waiting in the database; cancel it, as a
      // dropped connection would, so only another worker can finish the job.
      for (const { pid } of await waitingOnLock()) await db.query('select pg_cancel_backend($1)', [pid]);
    } finally {
      await blocker.query('rollback');
      await blocker.end();
    }
    const [orphan] = await jobsForPupil(db, pupilId);
    expect(orphan).toMatchObject({ id: job!.id, locked_by: expect.any(String) }); // still locked by the dead worker
    expect(await cacheIsCurrent(pupilId)).toBe(false);

    // graphile-worker frees locks older than 4 h; age this one instead of waiting.
    await db.query(`update graphile_worker._private_jobs set locked_at = now() - interval '4 hours 1 second' where id = $1`, [job!.id]);
    const workerB = await worker({ WORKER_RESET_LOCKED_INTERVAL_MS: '200' });
    await waitUntil(() => cacheIsCurrent(pupilId), 'worker B to complete the job');
    expect(await workerB.stop()).toEqual({ code: 0, signal: null }); // flushes its telemetry
    const lines = (await jobLines(workerB.telemetryDir)).filter((l) => l.params.jobId === job!.id);
    expect(lines, workerB.output.join('\n')).toEqual([expect.objectContaining({ outcome: 'ok', params: { jobId: job!.id, pupilId, attempt: 2 } })]);
  });

  test('a transient failure is retried with exponential backoff and succeeds; a permanent one ends failed and visible', async () => {
    const group = await makeGroupWithPupils(db, { pupils: 2, units: 1, criteriaPerUnit: 2, assignmentsPerUnit: 1 });
    const teacher = await typedClientAs(stack, group.teacherId);
    const [flaky, broken] = group.pupilIds as [string, string];
    await installFailureInjection(db);
    try {
      await planFailures(db, flaky, 2);
      await planFailures(db, broken, 1_000);
      await expectSaved(teacher, cellOf(group, flaky, 0, 2));
      await expectSaved(teacher, cellOf(group, broken, 0, 1));
      // Test-only: a smaller retry budget for the broken pupil's job (production: 25).
      await db.query(`update graphile_worker._private_jobs set max_attempts = 2 where payload->>'pupil_id' = $1`, [broken]);
      const running = await worker();

      await waitUntil(async () => (await jobsForPupil(db, flaky))[0]?.attempts === 1 && (await jobsForPupil(db, flaky))[0]?.locked_at === null, 'first failure');
      const [afterFirst] = await jobsForPupil(db, flaky);
      expect(afterFirst!.last_error).toContain(INJECTED_ERROR);
      const firstBackoffS = (afterFirst!.run_at.getTime() - afterFirst!.updated_at.getTime()) / 1000;
      expect(firstBackoffS).toBeGreaterThan(Math.exp(1) - 0.2); // exp(attempts) seconds

      await waitUntil(async () => (await jobsForPupil(db, flaky))[0]?.attempts === 2 && (await jobsForPupil(db, flaky))[0]?.locked_at === null, 'second failure');
      const [afterSecond] = await jobsForPupil(db, flaky);
      const secondBackoffS = (afterSecond!.run_at.getTime() - afterSecond!.updated_at.getTime()) / 1000;
      expect(secondBackoffS).toBeGreaterThan(Math.exp(2) - 0.2);
      expect(secondBackoffS).toBeGreaterThan(firstBackoffS * 2);
      // Backoff observed; bring the third attempt forward rather than wait 7 s.
      await db.query(`update graphile_worker._private_jobs set run_at = now() where id = $1`, [afterSecond!.id]);
      await waitUntil(() => cacheIsCurrent(flaky), 'the flaky pupil to succeed on attempt 3');

      await waitUntil(async () => (await jobsForPupil(db, broken))[0]?.attempts === 2 && (await jobsForPupil(db, broken))[0]?.locked_at === null, 'the broken job to give up', 30_000);
      const [gaveUp] = await jobsForPupil(db, broken);
      expect(gaveUp).toMatchObject({ attempts: 2, max_attempts: 2 });
      expect(gaveUp!.last_error).toContain(INJECTED_ERROR);

      const admin = await typedClientAs(stack, demoStaff.admin.id);
      const failures = await admin.rpc('ops_job_failures', { p_limit: 1000 });
      expect(failures.error).toBeNull();
      expect(failures.data!.find((row) => row.pupil_id === broken)).toMatchObject({
        job_id: Number(gaveUp!.id),
        gave_up: true,
        attempts: 2,
        task_identifier: 'reports_recalculate_pupil',
        last_error: expect.stringContaining(INJECTED_ERROR),
      });
      const summary = await admin.rpc('ops_job_queue_summary');
      expect(summary.data!.find((row) => row.task_identifier === 'reports_recalculate_pupil')!.failed).toBeGreaterThanOrEqual(1);
      const teacherView = await teacher.rpc('ops_job_failures', {});
      expect(teacherView.error).toMatchObject({ code: '42501', message: 'not_authorized' });

      expect(await running.stop()).toEqual({ code: 0, signal: null }); // flushes its telemetry
      const lines = await jobLines(running.telemetryDir);
      expect(lines.filter((l) => l.params.pupilId === flaky).map((l) => [l.outcome, l.params.attempt])).toEqual([
        ['error', 1],
        ['error', 2],
        ['ok', 3],
      ]);
    } finally {
      await removeFailureInjection(db);
    }
  });

  test('200 rapid edits across 5 pupils from 4 teachers: every acknowledged write lands, the cache is right, few recalculations', async () => {
    const group = await makeGroupWithPupils(db, { pupils: 5, units: 2, criteriaPerUnit: 3, assignmentsPerUnit: 2 });
    const staffIds = [group.teacherId];
    for (let i = 0; i < 3; i += 1) {
      const id = await makeStaff(db, { departmentId: group.departmentId });
      await db.query(`insert into public.group_staff (group_id, staff_id) values ($1, $2)`, [group.groupId, id]);
      staffIds.push(id);
    }
    const teachers = await Promise.all(staffIds.map((id) => typedClientAs(stack, id)));
    const running = await worker({ WORKER_CONCURRENCY: '2' });

    type Ack = { cell: string; rating: number | null; version: number };
    const acks: Ack[] = [];
    const EDITS_PER_TEACHER = 50;
    await Promise.all(
      teachers.map(async (client, t) => {
        const random = seededRandom(1000 + t);
        for (let i = 0; i < EDITS_PER_TEACHER; i += 1) {
          const pupilId = random.pick(group.pupilIds);
          const rating = random.int(5) === 4 ? null : random.int(4);
          const input = cellOf(group, pupilId, random.int(12), rating);
          const version = await expectSaved(client, input);
          acks.push({ cell: `${input.assignmentId}/${pupilId}/${input.successCriterionId}`, rating, version });
        }
      }),
    );
    expect(acks).toHaveLength(200);

    // Every acknowledged write is in; each cell holds its highest-versioned acknowledged value.
    const latest = new Map<string, Ack>();
    for (const ack of acks) if ((latest.get(ack.cell)?.version ?? -1) < ack.version) latest.set(ack.cell, ack);
    const stored = await db.query<{ cell: string; rating: number | null; version: string }>(
      `select assignment_id || '/' || pupil_id || '/' || success_criterion_id as cell, rating, version::text
         from public.feedback where pupil_id = any($1::uuid[])`,
      [group.pupilIds],
    );
    expect(stored.rows).toHaveLength(latest.size);
    for (const row of stored.rows) {
      expect({ rating: row.rating, version: Number(row.version) }).toEqual({ rating: latest.get(row.cell)!.rating, version: latest.get(row.cell)!.version });
    }
    const history = await db.query(`select count(*)::int as n from public.feedback_history where pupil_id = any($1::uuid[])`, [group.pupilIds]);
    expect(history.rows[0].n).toBe(200);

    for (const pupilId of group.pupilIds) await waitUntil(() => cacheIsCurrent(pupilId), `pupil ${pupilId}'s cache`, 30_000);
    for (const pupilId of group.pupilIds) expect(await cachedReport(db, pupilId)).toEqual(await onDemandReport(db, pupilId));

    await running.stop();
    const recalcs = (await jobLines(running.telemetryDir)).filter((l) => group.pupilIds.includes(l.params.pupilId));
    console.info(`200 edits over 5 pupils -> ${recalcs.length} recalculations`);
    expect(recalcs.every((l) => l.outcome === 'ok')).toBe(true);
    expect(recalcs.length).toBeGreaterThanOrEqual(5);
    expect(recalcs.length).toBeLessThanOrEqual(100);
  });

  test('reports:warm re-fills a group whose cache was lost, with a summary', async () => {
    const group = await makeGroupWithPupils(db, { pupils: 3, units: 1, criteriaPerUnit: 2, assignmentsPerUnit: 1 });
    const teacher = await typedClientAs(stack, group.teacherId);
    const running = await worker();
    for (const [i, pupilId] of group.pupilIds.entries()) await expectSaved(teacher, cellOf(group, pupilId, i, i % 4));
    for (const pupilId of group.pupilIds) await waitUntil(() => cacheIsCurrent(pupilId), 'the cache');
    await db.query(`delete from public.report_pupil_unit_summaries where pupil_id = any($1::uuid[])`, [group.pupilIds]);

    const { stdout } = await run(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'scripts/reports-warm.ts'), '--group', group.groupId], {
      cwd: ROOT,
      env: { NODE_ENV: 'test', PATH: process.env.PATH ?? '', SUPABASE_URL: stack.apiUrl, SUPABASE_SERVICE_ROLE_KEY: stack.serviceRoleKey, DATABASE_URL: stack.dbUrl },
    });
    const summary = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, number>;
    expect(summary).toMatchObject({ pupils: 3, recalculated: 3, failures: 0, pending: 0 });
    expect(summary.rows).toBeGreaterThan(0);
    for (const pupilId of group.pupilIds) expect(await cacheIsCurrent(pupilId)).toBe(true);
    await running.stop();
  });
});
