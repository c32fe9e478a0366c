/**
 * The marking write's shapes, parsed at both edges: what a client may send to
 * `saveFeedback`, and the authoritative row `feedback_upsert` returns.
 */
import { z } from 'zod';

export const RATING_MIN = 0;
export const RATING_MAX = 3;
const COMMENT_MAX_CHARS = 2_000; // a paragraph of feedback; longer text is a paste accident

export const saveFeedbackInputSchema = z.object({
  assignmentId: z.guid(),
  pupilId: z.guid(),
  successCriterionId: z.guid(),
  /** 0..3, or null to clear the cell. */
  rating: z.number().int().min(RATING_MIN).max(RATING_MAX).nullable(),
  /** Omitted: the cell's comment is kept. A string sets it; null clears it. */
  comment: z.string().trim().max(COMMENT_MAX_CHARS).nullable().optional(),
  /** Makes retries idempotent: the same id twice is one write. */
  clientMutationId: z.guid(),
});
export type SaveFeedbackInput = z.infer<typeof saveFeedbackInputSchema>;

// bigint and numeric may arrive as JSON numbers or strings depending on the API server.
const bigintNumber = z.union([z.number(), z.string().regex(/^\d+$/)]).transform(Number);

export const feedbackRowSchema = z.object({
  id: z.guid(),
  assignment_id: z.guid(),
  pupil_id: z.guid(),
  success_criterion_id: z.guid(),
  rating: z.number().int().min(RATING_MIN).max(RATING_MAX).nullable(),
  comment: z.string().nullable(),
  updated_by: z.guid().nullable(),
  updated_at: z.string(),
  version: bigintNumber,
  client_mutation_id: z.guid().nullable(),
});

type FeedbackRowFields = Omit<z.output<typeof feedbackRowSchema>, 'assignment_id'>;

/** A feedback row's fields as the app uses them (camelCase); shared by every parser of the row. */
export function feedbackRowToCell(row: FeedbackRowFields) {
  return {
    id: row.id,
    pupilId: row.pupil_id,
    successCriterionId: row.success_criterion_id,
    rating: row.rating,
    comment: row.comment,
    updatedBy: row.updated_by,
    updatedAt: row.updated_at,
    version: row.version,
    clientMutationId: row.client_mutation_id,
  };
}

/** The row as the app uses it (camelCase, version as a number: one global sequence). */
export const savedFeedbackSchema = feedbackRowSchema.transform((row) => ({
  assignmentId: row.assignment_id,
  ...feedbackRowToCell(row),
}));
export type SavedFeedback = z.output<typeof savedFeedbackSchema>;
