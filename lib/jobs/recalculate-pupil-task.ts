/**
 * The `reports_recalculate_pupil` job (enqueued by feedback_upsert through
 * private.enqueue_pupil_recalc with payload {pupil_id}): one call of the procedure through
 * the Supabase API with the service role, which rewrites the pupil's cached report rows in
 * one transaction. A thrown error fails the attempt; graphile-worker retries it with
 * exponential backoff and keeps it, with its last error, once max_attempts is reached.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import type { Task } from 'graphile-worker';
import { z } from 'zod';
import type { Database } from '@/lib/supabase/database.types';
import { withTelemetry } from '@/lib/telemetry/with-telemetry';

export const RECALCULATE_PUPIL_TASK = 'reports_recalculate_pupil';

export const recalculatePupilPayloadSchema = z.object({ pupil_id: z.guid() });

export const recalcCountsSchema = z.object({
  units_written: z.number().int(),
  units_deleted: z.number().int(),
  summary_written: z.number().int(),
  summary_deleted: z.number().int(),
  criteria_written: z.number().int(),
  criteria_deleted: z.number().int(),
});
export type RecalcCounts = z.infer<typeof recalcCountsSchema>;

export function rowsTouched(counts: RecalcCounts): number {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

/** A job attempt's failure, with the PostgREST code when there is one (kept in last_error). */
export class RecalculationError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'RecalculationError';
  }
}

type JobParams = { jobId: string; pupilId: string; attempt: number };

const TELEMETRY_NAME = 'worker.reports_recalculate_pupil';

export function makeRecalculatePupilTask(service: SupabaseClient<Database>): Task {
  return async (payload, helpers) => {
    const parsed = recalculatePupilPayloadSchema.safeParse(payload);
    // A malformed payload is retried like any failure and ends visible in ops_job_failures.
    if (!parsed.success) throw new RecalculationError(`bad payload: ${z.prettifyError(parsed.error)}`, 'bad_payload');
    const signal = helpers.abortSignal;
    // Wrapped per job so the record's params are the job's facts (the abort signal is not one).
    const recalculate = withTelemetry(
      TELEMETRY_NAME,
      async (params: JobParams): Promise<RecalcCounts> => {
        const { data, error } = await service
          .rpc('reports_recalculate_pupil', { p_pupil_id: params.pupilId })
          .abortSignal(signal)
          .single();
        if (error) {
          throw new RecalculationError(`reports_recalculate_pupil failed: ${error.code} ${error.message}`, error.code || 'unavailable');
        }
        return recalcCountsSchema.parse(data);
      },
      { rowCount: rowsTouched },
    );
    const counts = await recalculate({ jobId: helpers.job.id, pupilId: parsed.data.pupil_id, attempt: helpers.job.attempts });
    helpers.logger.debug(`recalculated pupil ${parsed.data.pupil_id}: ${JSON.stringify(counts)}`);
  };
}
