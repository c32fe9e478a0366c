/**
 * `npm run worker`: the report worker process (see lib/jobs/report-worker.ts).
 *
 * Env: SUPABASE_URL, SUPABASE_SERVICE_ROLE_KEY, DATABASE_URL (required);
 * WORKER_CONCURRENCY (2), WORKER_POLL_INTERVAL_MS (50), WORKER_SHUTDOWN_TIMEOUT_MS (10000),
 * WORKER_RESET_LOCKED_INTERVAL_MS (480000); TELEM_ENABLED / TELEM_PATH for per-job telemetry.
 * SIGTERM/SIGINT: finish (or release) the running jobs, then exit 0. A second signal exits
 * at once; the jobs it held are picked up again once their locks go stale.
 */
import { startReportWorker } from '@/lib/jobs/report-worker';
import { workerEnvFrom } from '@/lib/jobs/worker-env';
import { processWideTelemetry } from '@/lib/telemetry/with-telemetry';

async function main(): Promise<void> {
  const env = workerEnvFrom();
  const worker = await startReportWorker(env, (level, message) => {
    const stream = level === 'error' || level === 'warning' ? process.stderr : process.stdout;
    stream.write(`[worker ${process.pid}] ${level}: ${message}\n`);
  });
  process.stdout.write(`[worker ${process.pid}] ready (concurrency ${env.WORKER_CONCURRENCY})\n`);

  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      process.stderr.write(`[worker ${process.pid}] ${signal} again: exiting now\n`);
      process.exit(1);
    }
    signalled = true;
    process.stdout.write(`[worker ${process.pid}] ${signal}: finishing running jobs\n`);
    void worker.stop(signal);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  await worker.runner.promise;
  await processWideTelemetry().sink?.flush();
  process.stdout.write(`[worker ${process.pid}] stopped\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`[worker ${process.pid}] ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
