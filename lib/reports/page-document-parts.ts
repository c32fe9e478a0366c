/**
 * The parts the one-call page documents (reports_group_page, reports_pupil_page) share: the
 * band and unit tuples, and indexes into the document's own arrays, which are checked — a
 * reference past the end is a broken document, not a silently missing row.
 */
import { z } from 'zod';
import type { UnitInfo, WorkingLevelBand } from '@/stores/report-store';
import { ReportLoadError } from './report-source';
import { numericColumn } from './unit-summary-columns';

export const nullableNumeric = z.union([numericColumn, z.null()]);
export const arrayIndex = z.number().int().nonnegative();

export const bandTuples = z.array(z.tuple([z.string(), z.string(), numericColumn, numericColumn]));
export const unitTuples = z.array(z.tuple([z.guid(), z.string(), numericColumn]));

export function toBands(bands: z.output<typeof bandTuples>): WorkingLevelBand[] {
  return bands.map(([workingLevel, label, minAverage, maxAverage]) => ({ workingLevel, label, minAverage, maxAverage }));
}

export function toUnits(units: z.output<typeof unitTuples>): UnitInfo[] {
  return units.map(([id, name, position]) => ({ id, name, position }));
}

/** items[position], or the page fails to load (unavailable). */
export function at<T>(items: readonly T[], position: number): T {
  const item = items[position];
  if (item === undefined) throw new ReportLoadError('unavailable');
  return item;
}
