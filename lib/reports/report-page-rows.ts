/**
 * zod schemas for the report pages' own reads (migration 20261122050000) and for the
 * cached rows as Realtime delivers them. numeric/bigint may arrive as numbers or strings.
 */
import { z } from 'zod';
import { numericColumn, unitSummaryColumns, unitSummaryToApp } from './unit-summary-columns';

const num = numericColumn; // short name for the many numeric columns below
const nullableNum = z.union([num, z.null()]);

export const bandSchema = z
  .object({ working_level: z.string(), label: z.string(), min_average: num, max_average: num })
  .transform((b) => ({ workingLevel: b.working_level, label: b.label, minAverage: b.min_average, maxAverage: b.max_average }));

export const groupInfoSchema = z
  .object({ id: z.guid(), name: z.string(), subject: z.string(), year_group: num })
  .transform((g) => ({ id: g.id, name: g.name, subject: g.subject, yearGroup: g.year_group }));

export const visiblePupilSchema = z
  .object({
    pupil_id: z.guid(),
    first_name: z.string(),
    last_name: z.string(),
    group_ids: z.array(z.guid()),
    overall_average: nullableNum,
    working_level: z.string().nullable(),
    cached_version: nullableNum,
    feedback_version: nullableNum,
  })
  .transform((p) => ({
    pupilId: p.pupil_id,
    firstName: p.first_name,
    lastName: p.last_name,
    groupIds: p.group_ids,
    overallAverage: p.overall_average,
    workingLevel: p.working_level,
    cachedVersion: p.cached_version,
    feedbackVersion: p.feedback_version,
  }));

/** A report_pupil_unit_summaries row (reports_visible_unit_rows, Realtime new/old). */
export const unitSummaryRowSchema = z
  .object({
    pupil_id: z.guid(),
    unit_id: z.guid(),
    group_ids: z.array(z.guid()),
    ...unitSummaryColumns,
  })
  .transform((r) => ({
    pupilId: r.pupil_id,
    unitId: r.unit_id,
    groupIds: r.group_ids,
    ...unitSummaryToApp(r),
  }));

/** reports_overview_group_stats: one group's summaries at one working level. */
export const groupStatsRowSchema = z
  .object({ group_id: z.guid(), working_level: z.string(), rows_counted: num, criteria_rated: num, weighted_hundredths: num })
  .transform((s) => ({
    groupId: s.group_id,
    workingLevel: s.working_level,
    rowsCounted: s.rows_counted,
    criteriaRated: s.criteria_rated,
    weightedHundredths: s.weighted_hundredths,
  }));

/** report_pupil_summary as Realtime delivers it. */
export const pupilSummaryRowSchema = z
  .object({ pupil_id: z.guid(), overall_average: num, working_level: z.string(), source_version: num })
  .transform((s) => ({ pupilId: s.pupil_id, overallAverage: s.overall_average, workingLevel: s.working_level, sourceVersion: s.source_version }));

/** report_pupil_feedback_cache as Realtime delivers it. */
export const criterionCacheRowSchema = z
  .object({
    pupil_id: z.guid(),
    success_criterion_id: z.guid(),
    unit_id: z.guid(),
    group_id: z.guid(),
    rating: num,
    version: num,
    updated_at: z.string(),
  })
  .transform((c) => ({
    pupilId: c.pupil_id,
    successCriterionId: c.success_criterion_id,
    unitId: c.unit_id,
    groupId: c.group_id,
    rating: c.rating,
    version: c.version,
    updatedAt: c.updated_at,
  }));

/** The parts of a feedback row the report pages need (Realtime). */
export const feedbackVersionSchema = z
  .object({ pupil_id: z.guid(), version: num, rating: nullableNum.optional() })
  .transform((f) => ({ pupilId: f.pupil_id, version: f.version, rated: f.rating !== null && f.rating !== undefined }));
