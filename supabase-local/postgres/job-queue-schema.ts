/**
 * Installs or upgrades graphile-worker's schema (`graphile_worker`) with graphile-worker's
 * own migrator, so `graphile_worker.add_job` exists before any migration, seed or RPC
 * enqueues a report recalculation (feedback_upsert is a transactional outbox). The stack
 * calls it right after the Supabase baseline; the worker process runs the same migrator on
 * start, which is how a hosted project gets the schema. Idempotent.
 */
import { Logger, runMigrations } from 'graphile-worker';

/** graphile-worker logs to the console by default; only warnings and errors reach ours. */
function workerLogger(log: (line: string) => void): Logger {
  return new Logger(() => (level, message) => {
    if (level === 'error' || level === 'warning') log(`job queue schema: ${message}`);
  });
}

export async function installJobQueueSchema(connectionString: string, log: (line: string) => void = () => {}): Promise<void> {
  await runMigrations({ connectionString, logger: workerLogger(log) });
}
