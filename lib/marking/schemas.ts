/**
 * The marking pages' shapes, parsed at the edges: the grid snapshot
 * (`assignments_marking_snapshot`, jsonb), realtime rows (feedback, cached unit summaries),
 * presence payloads and the progress rows of /results/assignments. Everything the store
 * holds is camelCase with versions as numbers (one global sequence).
 */
import { z } from 'zod';
import { feedbackRowSchema, feedbackRowToCell } from '@/lib/feedback/schemas';

// Ids: any 8-4-4-4-12 hex id (z.guid), not only RFC 4122 v4 — the demo seed derives
// criterion and assignment ids from md5, which id() rejects.
const id = () => z.guid();
// bigint and numeric may arrive as JSON numbers or strings depending on the API server.
const numberLike = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)]).transform(Number);

export type FeedbackCell = {
  id: string;
  pupilId: string;
  successCriterionId: string;
  rating: number | null;
  comment: string | null;
  updatedBy: string | null;
  updatedAt: string;
  version: number;
  clientMutationId: string | null;
};

export const feedbackCellSchema = feedbackRowSchema.transform((row): FeedbackCell => feedbackRowToCell(row));

/** The feedback rows inside the snapshot have no assignment_id (the snapshot is one assignment). */
const snapshotFeedbackSchema = feedbackRowSchema
  .omit({ assignment_id: true })
  .transform((row): FeedbackCell => feedbackRowToCell(row));

export type UnitSummary = {
  pupilId: string;
  averageRating: number;
  workingLevel: string;
  criteriaRated: number;
  sourceVersion: number;
  computedAt: string;
};

const unitSummaryFields = {
  pupil_id: id(),
  average_rating: numberLike,
  working_level: z.string(),
  criteria_rated: numberLike,
  source_version: numberLike,
  computed_at: z.string(),
};
const toUnitSummary = (row: {
  pupil_id: string;
  average_rating: number;
  working_level: string;
  criteria_rated: number;
  source_version: number;
  computed_at: string;
}): UnitSummary => ({
  pupilId: row.pupil_id,
  averageRating: row.average_rating,
  workingLevel: row.working_level,
  criteriaRated: row.criteria_rated,
  sourceVersion: row.source_version,
  computedAt: row.computed_at,
});
export const unitSummarySchema = z.object(unitSummaryFields).transform(toUnitSummary);
/** A realtime row of report_pupil_unit_summaries (more columns; unit_id to check). */
export const unitSummaryRowSchema = z
  .object({ ...unitSummaryFields, unit_id: id() })
  .transform((row) => ({ unitId: row.unit_id, summary: toUnitSummary(row) }));
export const unitSummaryKeySchema = z.object({ pupil_id: id(), unit_id: id() });

export const gridSnapshotSchema = z
  .object({
    assignment: z.object({
      id: id(),
      title: z.string(),
      set_on: z.string(),
      due_on: z.string().nullable(),
      group_id: id(),
      group_name: z.string(),
      unit_id: id(),
      unit_name: z.string(),
    }),
    criteria: z.array(z.object({ id: id(), position: z.number(), description: z.string() })),
    pupils: z.array(z.object({ id: id(), first_name: z.string(), last_name: z.string() })),
    feedback: z.array(snapshotFeedbackSchema),
    max_version: numberLike.nullable(),
    unit_summaries: z.array(unitSummarySchema),
    viewer: z.object({ id: id(), display_name: z.string() }).nullable(),
    can_mark: z.boolean(),
  })
  .transform((raw) => ({
    assignment: {
      id: raw.assignment.id,
      title: raw.assignment.title,
      setOn: raw.assignment.set_on,
      dueOn: raw.assignment.due_on,
      groupId: raw.assignment.group_id,
      groupName: raw.assignment.group_name,
      unitId: raw.assignment.unit_id,
      unitName: raw.assignment.unit_name,
    },
    criteria: raw.criteria.map((c) => ({ id: c.id, position: c.position, description: c.description })),
    pupils: raw.pupils.map((p) => ({ id: p.id, firstName: p.first_name, lastName: p.last_name })),
    feedback: raw.feedback,
    unitSummaries: raw.unit_summaries,
    viewer: raw.viewer ? { id: raw.viewer.id, displayName: raw.viewer.display_name } : null,
    canMark: raw.can_mark,
  }));
export type GridSnapshot = z.output<typeof gridSnapshotSchema>;
export type GridAssignment = GridSnapshot['assignment'];
export type GridCriterion = GridSnapshot['criteria'][number];
export type GridPupil = GridSnapshot['pupils'][number];
export type Viewer = NonNullable<GridSnapshot['viewer']>;

/** What each marker tracks on the assignment's channel. */
export const presencePayloadSchema = z.object({
  userId: id(),
  name: z.string().max(200),
  pupilId: id().nullable(),
});
export type PresencePayload = z.infer<typeof presencePayloadSchema>;

export const progressRowSchema = z
  .object({
    assignment_id: id(),
    title: z.string(),
    set_on: z.string(),
    due_on: z.string().nullable(),
    group_id: id(),
    group_name: z.string(),
    unit_id: id(),
    unit_name: z.string(),
    unit_position: z.number(),
    pupils: numberLike,
    criteria: numberLike,
    cells_rated: numberLike,
  })
  .transform((row) => ({
    assignmentId: row.assignment_id,
    title: row.title,
    setOn: row.set_on,
    dueOn: row.due_on,
    groupId: row.group_id,
    groupName: row.group_name,
    unitId: row.unit_id,
    unitName: row.unit_name,
    unitPosition: row.unit_position,
    pupils: row.pupils,
    criteria: row.criteria,
    cellsRated: row.cells_rated,
  }));
export type ProgressRow = z.output<typeof progressRowSchema>;

export const ratingScaleSchema = z.array(z.object({ rating: z.number(), label: z.string() }));
export type RatingScale = z.infer<typeof ratingScaleSchema>;
export const workingLevelBandsSchema = z.array(
  z.object({ working_level: z.string(), label: z.string(), min_average: numberLike, max_average: numberLike }),
);
