/**
 * The report worker: a graphile-worker runner with the report tasks, connected to Postgres
 * for the queue and to the Supabase API (service role) for the procedures.
 *
 * - Several processes may run at once: graphile-worker claims each job with
 *   `for update skip locked`, so no job runs twice at the same time.
 * - A failing attempt is retried with graphile-worker's exponential backoff
 *   (exp(min(attempts, 10)) s); at max_attempts (25, set by enqueue_pupil_recalc) the job
 *   stays in the table with its last_error (public.ops_job_failures shows it).
 * - A killed worker's jobs stay locked until graphile-worker's stale-lock sweep (locks
 *   older than 4 h) releases them to any worker.
 * - stop(): graceful; running jobs get WORKER_SHUTDOWN_TIMEOUT_MS to finish, then their
 *   requests are aborted and the jobs released for a retry.
 */
import { Logger, run, type LogFunctionFactory, type Runner } from 'graphile-worker';
import { createSupabaseServiceClient } from '@/lib/supabase/service';
import { makeRecalculatePupilTask, RECALCULATE_PUPIL_TASK } from './recalculate-pupil-task';
import type { WorkerEnv } from './worker-env';

export type ReportWorker = { runner: Runner; stop(reason?: string): Promise<void> };

export type LogLine = (level: string, message: string) => void;

/** graphile-worker's log lines, minus debug chatter, to `write`. */
export function workerLogger(write: LogLine): Logger {
  const factory: LogFunctionFactory = (scope) => (level, message) => {
    if (level === 'debug') return;
    write(level, scope.jobId ? `${message} [job ${scope.jobId}]` : message);
  };
  return new Logger(factory);
}

export async function startReportWorker(env: WorkerEnv, log: LogLine = () => {}): Promise<ReportWorker> {
  const service = createSupabaseServiceClient({ url: env.SUPABASE_URL, serviceRoleKey: env.SUPABASE_SERVICE_ROLE_KEY });
  const runner = await run(
    {
      connectionString: env.DATABASE_URL,
      concurrency: env.WORKER_CONCURRENCY,
      pollInterval: env.WORKER_POLL_INTERVAL_MS,
      // One connection per concurrent job plus the LISTEN client and housekeeping.
      maxPoolSize: env.WORKER_CONCURRENCY + 2,
      gracefulShutdownAbortTimeout: env.WORKER_SHUTDOWN_TIMEOUT_MS,
      minResetLockedInterval: env.WORKER_RESET_LOCKED_INTERVAL_MS,
      maxResetLockedInterval: Math.ceil(env.WORKER_RESET_LOCKED_INTERVAL_MS * 1.25),
      noHandleSignals: true, // the process owns its signals (scripts/worker.ts)
      logger: workerLogger(log),
      taskList: { [RECALCULATE_PUPIL_TASK]: makeRecalculatePupilTask(service) },
    },
  );
  let stopping: Promise<void> | undefined;
  return {
    runner,
    stop(reason = 'stop requested') {
      stopping ??= runner.stop(reason);
      return stopping;
    },
  };
}
