/**
 * The report pages' rows, parsed with zod from the report RPCs (cached and on-demand return
 * the same columns). numeric and bigint may arrive as numbers or strings, so they are
 * coerced; the app gets camelCase.
 */
import { z } from 'zod';

const num = z.union([z.number(), z.string()]).transform(Number).pipe(z.number().finite());

export const pupilUnitRowSchema = z
  .object({
    unit_id: z.guid(),
    unit_name: z.string(),
    unit_position: num,
    department_id: z.guid(),
    group_ids: z.array(z.guid()),
    assignments_counted: num,
    criteria_rated: num,
    average_rating: num,
    working_level: z.string(),
    last_feedback_at: z.string(),
    source_version: num,
    computed_at: z.string(),
  })
  .transform((row) => ({
    unitId: row.unit_id,
    unitName: row.unit_name,
    unitPosition: row.unit_position,
    departmentId: row.department_id,
    groupIds: row.group_ids,
    assignmentsCounted: row.assignments_counted,
    criteriaRated: row.criteria_rated,
    averageRating: row.average_rating,
    workingLevel: row.working_level,
    lastFeedbackAt: row.last_feedback_at,
    sourceVersion: row.source_version,
    computedAt: row.computed_at,
  }));
export type PupilUnitRow = z.output<typeof pupilUnitRowSchema>;

export const groupUnitRowSchema = z
  .object({
    pupil_id: z.guid(),
    first_name: z.string(),
    last_name: z.string(),
    unit_id: z.guid(),
    unit_name: z.string(),
    unit_position: num,
    assignments_counted: num,
    criteria_rated: num,
    average_rating: num,
    working_level: z.string(),
    last_feedback_at: z.string(),
    source_version: num,
  })
  .transform((row) => ({
    pupilId: row.pupil_id,
    firstName: row.first_name,
    lastName: row.last_name,
    unitId: row.unit_id,
    unitName: row.unit_name,
    unitPosition: row.unit_position,
    assignmentsCounted: row.assignments_counted,
    criteriaRated: row.criteria_rated,
    averageRating: row.average_rating,
    workingLevel: row.working_level,
    lastFeedbackAt: row.last_feedback_at,
    sourceVersion: row.source_version,
  }));
export type GroupUnitRow = z.output<typeof groupUnitRowSchema>;
