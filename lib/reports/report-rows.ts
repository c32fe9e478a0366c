/**
 * The report pages' rows, parsed with zod from the report RPCs (cached and on-demand return
 * the same columns). numeric and bigint may arrive as numbers or strings, so they are
 * coerced; the app gets camelCase.
 */
import { z } from 'zod';
import { numericColumn, unitSummaryColumns, unitSummaryToApp } from './unit-summary-columns';

const num = numericColumn; // short name for the many numeric columns below

export const pupilUnitRowSchema = z
  .object({
    unit_id: z.guid(),
    unit_name: z.string(),
    unit_position: num,
    department_id: z.guid(),
    group_ids: z.array(z.guid()),
    ...unitSummaryColumns,
    computed_at: z.string(),
  })
  .transform((row) => ({
    unitId: row.unit_id,
    unitName: row.unit_name,
    unitPosition: row.unit_position,
    departmentId: row.department_id,
    groupIds: row.group_ids,
    ...unitSummaryToApp(row),
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
    ...unitSummaryColumns,
  })
  .transform((row) => ({
    pupilId: row.pupil_id,
    firstName: row.first_name,
    lastName: row.last_name,
    unitId: row.unit_id,
    unitName: row.unit_name,
    unitPosition: row.unit_position,
    ...unitSummaryToApp(row),
  }));
export type GroupUnitRow = z.output<typeof groupUnitRowSchema>;
