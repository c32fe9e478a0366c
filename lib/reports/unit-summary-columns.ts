/**
 * The columns every per-(pupil, unit) report row carries — the cached
 * report_pupil_unit_summaries columns, whichever RPC, view or Realtime event delivers them —
 * parsed once here and mapped to camelCase once. numeric and bigint may arrive as JSON
 * numbers or strings depending on the API server, so they are coerced.
 */
import { z } from 'zod';

export const numericColumn = z.union([z.number(), z.string()]).transform(Number).pipe(z.number().finite());

export const unitSummaryColumns = {
  assignments_counted: numericColumn,
  criteria_rated: numericColumn,
  average_rating: numericColumn,
  working_level: z.string(),
  last_feedback_at: z.string(),
  source_version: numericColumn,
};

type UnitSummaryColumns = z.output<z.ZodObject<typeof unitSummaryColumns>>;

export function unitSummaryToApp(row: UnitSummaryColumns) {
  return {
    assignmentsCounted: row.assignments_counted,
    criteriaRated: row.criteria_rated,
    averageRating: row.average_rating,
    workingLevel: row.working_level,
    lastFeedbackAt: row.last_feedback_at,
    sourceVersion: row.source_version,
  };
}

export type UnitSummaryFields = ReturnType<typeof unitSummaryToApp>;
