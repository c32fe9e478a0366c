/**
 * The report worker's environment, parsed with zod. The worker talks to two things:
 *   - the Supabase API (SUPABASE_URL + SUPABASE_SERVICE_ROLE_KEY) to run the procedure, as
 *     the hosted deployment would;
 *   - Postgres directly (DATABASE_URL) for graphile-worker's queue. A hosted project gives
 *     this URL too; use the direct or session-mode pooler URL (LISTEN/NOTIFY and advisory
 *     locks do not work through a transaction-mode pooler).
 */
import { z } from 'zod';

const MINUTE_MS = 60_000;

const workerEnvSchema = z.object({
  SUPABASE_URL: z.url({ message: 'SUPABASE_URL must be the API URL, e.g. http://127.0.0.1:54321' }),
  SUPABASE_SERVICE_ROLE_KEY: z.string().min(1, 'SUPABASE_SERVICE_ROLE_KEY is required (server-side only)'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL (direct or session-mode pooler)'),
  /** Jobs run at once by this process; several processes may run side by side. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /** How often an idle worker looks for due jobs, in ms. New jobs arrive future-dated by
   * the 100 ms debounce (enqueue_pupil_recalc), so no NOTIFY wakes the worker: the poll
   * bounds edit → cache latency (target p95 ≤ 250 ms). 50 ms costs ~20 cheap indexed
   * queries per second per worker. */
  WORKER_POLL_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(50),
  /** On SIGTERM/SIGINT, running jobs get this long to finish before they are aborted
   * (and released for a retry), in ms. */
  WORKER_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  /** How often to look for jobs locked by a dead worker (graphile-worker releases locks
   * older than 4 h). Production keeps graphile-worker's 8-10 min; tests shorten it. */
  WORKER_RESET_LOCKED_INTERVAL_MS: z.coerce.number().int().min(1).default(8 * MINUTE_MS),
});

export type WorkerEnv = z.infer<typeof workerEnvSchema>;

export function workerEnvFrom(env: Record<string, string | undefined> = process.env): WorkerEnv {
  const parsed = workerEnvSchema.safeParse({
    SUPABASE_URL: env.SUPABASE_URL,
    SUPABASE_SERVICE_ROLE_KEY: env.SUPABASE_SERVICE_ROLE_KEY,
    DATABASE_URL: env.DATABASE_URL,
    WORKER_CONCURRENCY: env.WORKER_CONCURRENCY || undefined,
    WORKER_POLL_INTERVAL_MS: env.WORKER_POLL_INTERVAL_MS || undefined,
    WORKER_SHUTDOWN_TIMEOUT_MS: env.WORKER_SHUTDOWN_TIMEOUT_MS || undefined,
    WORKER_RESET_LOCKED_INTERVAL_MS: env.WORKER_RESET_LOCKED_INTERVAL_MS || undefined,
  });
  if (!parsed.success) throw new Error(`invalid worker environment:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
