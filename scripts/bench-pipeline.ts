/**
 * `npm run bench:pipeline`: the write → recalc loop's figures, on its own stack (a separate
 * process: product migrations + demo seed) and its own worker process (scripts/worker.ts,
 * defaults except WORKER_CONCURRENCY=BENCH_WORKER_CONCURRENCY, default 4):
 *   1. saveFeedback round trip from a Node client (lib/feedback/save-feedback through a
 *      signed-in supabase-js client: the action's logic minus Next's request handling);
 *   2. edit → cached row updated: from sending a save until report_pupil_summary shows its
 *      version (an edit after a quiet spell: due at once, woken by add_job's NOTIFY);
 *   3. worker throughput: cache emptied, every pupil enqueued at once, pupils/s until done.
 * Writes its section of specs/reports/cache.md between <!-- pipeline:start/end --> markers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { createClient } from '@supabase/supabase-js';
import { Logger, makeWorkerUtils } from 'graphile-worker';
import { SignJWT } from 'jose';
import pg from 'pg';
import { saveFeedback } from '@/lib/feedback/save-feedback';
import { enqueuePupilRecalcs, recalcProgress } from '@/lib/jobs/recalc-queue';
import type { Database } from '@/lib/supabase/database.types';
import { removeDataDir, startStackProcess } from '../tests/support/stack-process';
import { percentile } from './bench-support/percentiles';

const ROOT = resolve(import.meta.dirname, '..');
const SPEC = join(ROOT, 'specs/reports/cache.md');
const START = '<!-- pipeline:start -->';
const END = '<!-- pipeline:end -->';
const ROUND_TRIPS = Number(process.env.BENCH_ROUND_TRIPS ?? 400);
const WARMUP = 30;
const LATENCY_SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? 40);
const THROUGHPUT_ROUNDS = 3;
const WORKER_CONCURRENCY = process.env.BENCH_WORKER_CONCURRENCY ?? '4';
const TEACHER_A = 'a0000000-0000-4000-8000-000000000001';
const GROUP_10SC1 = 'c0000000-0000-4000-8000-000000000001';

const ms = (value: number) => `${value.toFixed(1)} ms`;

async function startWorker(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'scripts/worker.ts')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, TELEM_ENABLED: '', ...env },
  });
  await new Promise<void>((ready, fail) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('] ready')) ready();
    });
    child.once('exit', (code) => fail(new Error(`worker exited with ${code}`)));
  });
  return child;
}

async function main(): Promise<void> {
  const stack = await startStackProcess({ migrations: join(ROOT, 'supabase/migrations'), seed: join(ROOT, 'supabase/seed.sql'), fresh: true });
  const db = new pg.Client({ connectionString: stack.info.dbUrl });
  let worker: ChildProcess | undefined;
  try {
    await db.connect();
    worker = await startWorker({
      SUPABASE_URL: stack.info.apiUrl,
      SUPABASE_SERVICE_ROLE_KEY: stack.info.serviceRoleKey,
      DATABASE_URL: stack.info.dbUrl,
      WORKER_CONCURRENCY,
    });
    const token = await new SignJWT({ sub: TEACHER_A, role: 'authenticated', aud: 'authenticated' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(stack.info.jwtSecret));
    const teacher = createClient<Database>(stack.info.apiUrl, stack.info.anonKey, { accessToken: async () => token });
    const cells = (
      await db.query<{ assignment_id: string; pupil_id: string; criterion_id: string }>(
        `select a.id as assignment_id, gp.pupil_id, sc.id as criterion_id
           from public.assignments a
           join public.group_pupils gp on gp.group_id = a.group_id
           join public.success_criteria sc on sc.unit_id = a.unit_id
          where a.group_id = $1 order by gp.pupil_id, a.id, sc.position`,
        [GROUP_10SC1],
      )
    ).rows;
    const pupils = [...new Set(cells.map((cell) => cell.pupil_id))];
    const save = async (i: number, pupilId?: string) => {
      const pool = pupilId ? cells.filter((cell) => cell.pupil_id === pupilId) : cells;
      const cell = pool[i % pool.length]!;
      const started = performance.now();
      const result = await saveFeedback(teacher, {
        assignmentId: cell.assignment_id,
        pupilId: cell.pupil_id,
        successCriterionId: cell.criterion_id,
        rating: i % 4,
        clientMutationId: randomUUID(),
      });
      if (!result.ok) throw new Error(`save failed: ${result.code}`);
      return { ms: performance.now() - started, version: result.data.version, pupilId: cell.pupil_id, sentAt: started };
    };

    // 1. Round trips (sequential, one client, spread over the group's cells).
    for (let i = 0; i < WARMUP; i += 1) await save(i * 7);
    const roundTrips: number[] = [];
    for (let i = 0; i < ROUND_TRIPS; i += 1) roundTrips.push((await save(i * 13)).ms);
    process.stderr.write(`round trip p50 ${ms(percentile(roundTrips, 50))} p95 ${ms(percentile(roundTrips, 95))}\n`);

    // Let the round-trip burst's recalculations drain before timing edit -> cache.
    const drain = async (ids: string[]) => {
      while ((await recalcProgress(db, ids)).done < ids.length) await new Promise((r) => setTimeout(r, 50));
    };
    await drain(pupils);

    // 2. Edit -> cached row updated, one edit at a time on an idle pupil.
    const latencies: number[] = [];
    for (let i = 0; i < LATENCY_SAMPLES; i += 1) {
      const pupilId = pupils[i % pupils.length]!;
      const write = await save(i, pupilId);
      for (;;) {
        const row = await db.query<{ v: string | null }>(`select source_version::text as v from public.report_pupil_summary where pupil_id = $1`, [pupilId]);
        if (row.rows[0]?.v && Number(row.rows[0].v) >= write.version) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      latencies.push(performance.now() - write.sentAt);
      await drain([pupilId]);
    }
    process.stderr.write(`edit -> cache p50 ${ms(percentile(latencies, 50))} p95 ${ms(percentile(latencies, 95))}\n`);

    // 3. Throughput: empty the cache, enqueue every pupil, time until all are done.
    const allPupils = (await db.query<{ id: string }>(`select distinct pupil_id as id from public.feedback`)).rows.map((r) => r.id);
    const utils = await makeWorkerUtils({ connectionString: stack.info.dbUrl, logger: new Logger(() => () => {}) });
    const rates: number[] = [];
    try {
      for (let round = 0; round < THROUGHPUT_ROUNDS; round += 1) {
        await db.query(`truncate public.report_pupil_unit_summaries, public.report_pupil_summary, public.report_pupil_feedback_cache`);
        const started = performance.now();
        await enqueuePupilRecalcs(utils, allPupils);
        await drain(allPupils);
        rates.push(allPupils.length / ((performance.now() - started) / 1000));
      }
    } finally {
      await utils.release();
    }
    const feedbackRows = Number((await db.query<{ n: string }>(`select count(*)::text as n from public.feedback`)).rows[0]!.n);
    const throughput = percentile(rates, 50);
    process.stderr.write(`throughput ${throughput.toFixed(0)} pupils/s\n`);

    const section = [
      START,
      `## Write pipeline (\`scripts/bench-pipeline.ts\`, ${new Date().toISOString().slice(0, 10)})`,
      '',
      `Own stack (separate process: product migrations + demo seed), one worker process (\`scripts/worker.ts\`,`,
      `WORKER_CONCURRENCY=${WORKER_CONCURRENCY}, default poll), bench client in a third process; ${cpus().length} cores shared.`,
      '',
      '| measure | p50 | p95 | target | n |',
      '|---|---|---|---|---|',
      `| saveFeedback round trip (Node client, signed-in supabase-js → feedback_upsert) | ${ms(percentile(roundTrips, 50))} | ${ms(percentile(roundTrips, 95))} | p95 ≤ 30 ms | ${ROUND_TRIPS} |`,
      `| edit → cached row updated (report_pupil_summary.source_version) | ${ms(percentile(latencies, 50))} | ${ms(percentile(latencies, 95))} | p95 ≤ 250 ms | ${LATENCY_SAMPLES} |`,
      '',
      `Worker throughput: **${throughput.toFixed(0)} pupils/s** (median of ${THROUGHPUT_ROUNDS} rounds; cache truncated, ${allPupils.length} pupils`,
      `with ${feedbackRows} feedback rows enqueued at once through the Supabase API with the service role).`,
      '',
      'Each sample is an edit after a quiet spell: `private.enqueue_pupil_recalc` makes its job due at once, add_job',
      'NOTIFYs the worker, and the recalculation runs. Edits inside a burst wait for the next 250 ms window instead',
      '(leading-edge throttle, migration 20261122031000), so their staleness is bounded by the window plus one run.',
      END,
    ].join('\n');
    const current = await readFile(SPEC, 'utf8').catch(() => '');
    const next =
      current.includes(START) && current.includes(END)
        ? current.slice(0, current.indexOf(START)) + section + current.slice(current.indexOf(END) + END.length)
        : `${current.trimEnd()}\n\n${section}\n`;
    await writeFile(SPEC, next);
    process.stderr.write(`wrote ${SPEC}\n`);
  } finally {
    worker?.kill('SIGTERM');
    if (worker && worker.exitCode === null) await new Promise((r) => worker!.once('exit', r));
    await db.end().catch(() => {});
    await stack.stop();
    await removeDataDir(stack.dataDir);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:pipeline: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
