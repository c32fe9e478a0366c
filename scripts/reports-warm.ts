/**
 * `npm run reports:warm -- [--all | --group ID | --pupil ID] [--with-worker] [--timeout-s N]`
 * (also bin/reports_cache_warm.sh): enqueues report recalculations for the chosen pupils,
 * waits for the workers with a progress bar, and prints a summary (pupils, cached rows,
 * failures, duration). Jobs coalesce with marking clicks (same job key) and run below
 * interactive priority. Needs a running worker (`npm run worker`), or --with-worker to
 * run one in this process.
 *
 * Env: SUPABASE_URL, SUPABASE_SERVICE_ROLE_KEY, DATABASE_URL (as the worker).
 * Exit code: 0 all done, 1 some pupils failing (see public.ops_job_failures), 2 usage, 3 timeout.
 */
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { makeWorkerUtils, Logger } from 'graphile-worker';
import pg from 'pg';
import { z } from 'zod';
import { cachedRowCount, enqueuePupilRecalcs, pupilsInScope, recalcProgress, type WarmScope } from '@/lib/jobs/recalc-queue';
import { startReportWorker, type ReportWorker } from '@/lib/jobs/report-worker';
import { workerEnvFrom } from '@/lib/jobs/worker-env';

const POLL_MS = 250;
const STALL_HINT_MS = 15_000; // no progress this long: say a worker may be missing

function usage(message: string): never {
  process.stderr.write(`${message}\nusage: npm run reports:warm -- [--all | --group ID | --pupil ID] [--with-worker] [--timeout-s N]\n`);
  process.exit(2);
}

function scopeFromArgs(): { scope: WarmScope; withWorker: boolean; timeoutMs: number } {
  const { values } = parseArgs({
    options: {
      all: { type: 'boolean', default: false },
      group: { type: 'string' },
      pupil: { type: 'string' },
      'with-worker': { type: 'boolean', default: false },
      'timeout-s': { type: 'string', default: '1800' },
    },
  });
  const id = z.guid();
  const chosen = [values.all, values.group !== undefined, values.pupil !== undefined].filter(Boolean).length;
  if (chosen !== 1) usage('choose exactly one of --all, --group ID, --pupil ID');
  const timeoutMs = Number(values['timeout-s']) * 1000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) usage('--timeout-s must be a positive number');
  let scope: WarmScope = { kind: 'all' };
  if (values.group !== undefined) {
    if (!id.safeParse(values.group).success) usage('--group needs a group id');
    scope = { kind: 'group', id: values.group };
  } else if (values.pupil !== undefined) {
    if (!id.safeParse(values.pupil).success) usage('--pupil needs a pupil id');
    scope = { kind: 'pupil', id: values.pupil };
  }
  return { scope, withWorker: values['with-worker'], timeoutMs };
}

async function main(): Promise<number> {
  const { scope, withWorker, timeoutMs } = scopeFromArgs();
  const env = workerEnvFrom();
  const startedAt = performance.now();
  const db = new pg.Client({ connectionString: env.DATABASE_URL });
  await db.connect();
  const quiet = new Logger(() => () => {});
  const utils = await makeWorkerUtils({ connectionString: env.DATABASE_URL, logger: quiet });
  let worker: ReportWorker | undefined;
  try {
    const pupilIds = await pupilsInScope(db, scope);
    if (pupilIds.length === 0) {
      process.stderr.write('no pupils in that scope\n');
      return 2;
    }
    if (withWorker) worker = await startReportWorker(env);
    await enqueuePupilRecalcs(utils, pupilIds);

    const bar = new cliProgress.SingleBar(
      { format: 'warming {bar} {value}/{total} pupils | {failing} failing | {duration_formatted}', hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    bar.start(pupilIds.length, 0, { failing: 0 });
    let progress = await recalcProgress(db, pupilIds);
    let lastChange = Date.now();
    let lastDone = -1;
    let stallHinted = false;
    while (progress.pending > 0) {
      if (performance.now() - startedAt > timeoutMs) break;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      progress = await recalcProgress(db, pupilIds);
      bar.update(progress.done, { failing: progress.failing });
      if (progress.done !== lastDone) {
        lastDone = progress.done;
        lastChange = Date.now();
      } else if (!stallHinted && Date.now() - lastChange > STALL_HINT_MS) {
        stallHinted = true;
        process.stderr.write('\nno progress for 15 s: is a worker running? (npm run worker, or pass --with-worker)\n');
      }
    }
    bar.update(progress.done, { failing: progress.failing });
    bar.stop();

    const rows = await cachedRowCount(db, pupilIds);
    const seconds = (performance.now() - startedAt) / 1000;
    const summary = {
      pupils: pupilIds.length,
      recalculated: progress.done,
      rows,
      failures: progress.failing,
      pending: progress.pending,
      durationS: Math.round(seconds * 100) / 100,
      pupilsPerS: Math.round((progress.done / seconds) * 10) / 10,
    };
    process.stdout.write(
      `pupils ${summary.pupils} · rows ${summary.rows} · failures ${summary.failures}` +
        `${summary.pending ? ` · still pending ${summary.pending}` : ''} · ${summary.durationS} s (${summary.pupilsPerS} pupils/s)\n`,
    );
    if (progress.failing > 0) {
      process.stdout.write(`failing pupils (see public.ops_job_failures): ${progress.failingPupils.slice(0, 10).join(', ')}${progress.failing > 10 ? ', …' : ''}\n`);
    }
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    return progress.pending > 0 ? 3 : progress.failing > 0 ? 1 : 0;
  } finally {
    await worker?.stop('warm finished');
    await utils.release();
    await db.end();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`reports:warm: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
