/**
 * The marking pages' reads, for the server component and the browser alike (the adapter
 * refetches after every (re)subscription): one RPC each, parsed with zod; failures become
 * stable codes (not_found, not_authorized, unavailable), never raw Postgres text.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from 'zod';
import { actionError, actionOk, type ActionResult } from '@/lib/action-result';
import type { Database } from '@/lib/supabase/database.types';
import { gridSnapshotSchema, progressRowSchema, ratingScaleSchema, type GridSnapshot, type ProgressRow, type RatingScale } from './schemas';

type Client = SupabaseClient<Database>;
export type ReadFailureCode = 'not_found' | 'not_authorized' | 'unavailable';

function readFailure<T>(error: { code?: string | null; message?: string | null } | null): ActionResult<T> {
  if (error?.message === 'not_authorized' || error?.code === '42501') {
    return actionError('not_authorized', 'This assignment belongs to a group you do not teach.');
  }
  if (error?.message === 'not_found' || error?.code === 'P0002' || error?.code === '22P02') {
    return actionError('not_found', 'There is no such assignment. It may have been removed.');
  }
  return actionError('unavailable', 'The markbook could not be reached. Try again in a moment.');
}

export async function fetchGridSnapshot(client: Client, assignmentId: string): Promise<ActionResult<GridSnapshot>> {
  if (!z.guid().safeParse(assignmentId).success) return readFailure({ code: '22P02' });
  try {
    const { data, error } = await client.rpc('assignments_marking_snapshot', { p_assignment_id: assignmentId });
    if (error) return readFailure(error);
    const parsed = gridSnapshotSchema.safeParse(data);
    return parsed.success ? actionOk(parsed.data) : readFailure(null);
  } catch {
    return readFailure(null);
  }
}

export async function fetchMarkingProgress(client: Client, assignmentIds?: string[]): Promise<ActionResult<ProgressRow[]>> {
  try {
    const { data, error } = await client.rpc(
      'assignments_marking_progress',
      assignmentIds ? { p_assignment_ids: assignmentIds } : {},
    );
    if (error) return readFailure(error);
    const parsed = z.array(progressRowSchema).safeParse(data);
    return parsed.success ? actionOk(parsed.data) : readFailure(null);
  } catch {
    return readFailure(null);
  }
}

/** The rating scale (labels for the legend and the cells), defined once in the database. */
export async function fetchRatingScale(client: Client): Promise<RatingScale> {
  const { data, error } = await client.rpc('rating_scale');
  const parsed = ratingScaleSchema.safeParse(data);
  if (error || !parsed.success) throw new Error(`rating_scale could not be read (${error?.code ?? 'shape'})`);
  return parsed.data;
}
