/**
 * The parts the one-call page documents (reports_group_page, reports_pupil_page) share: the
 * band and unit tuples, indexes into the document's own arrays, which are checked (a
 * reference past the end is a broken document, not a silently missing row), and how a page
 * honours REPORTS_SOURCE.
 */
import { z } from 'zod';
import type { UnitInfo, WorkingLevelBand } from '@/stores/report-store';
import { loadError, ReportLoadError, type ReportsSource, type ServedFrom } from './report-source';
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

/**
 * A page RPC's answer as its parsed document: null (no such page for this caller), the
 * document, or a stable load error (the API's, or `unavailable` for a document of the wrong shape).
 */
export function pageDocument<T>(schema: z.ZodType<T>, answer: { data: unknown; error: { code?: string | null } | null }): T | null {
  if (answer.error) throw loadError(answer.error);
  if (answer.data === null) return null;
  const parsed = schema.safeParse(answer.data);
  if (!parsed.success) throw new ReportLoadError('unavailable');
  return parsed.data;
}

/** items[position], or the page fails to load (unavailable). */
export function at<T>(items: readonly T[], position: number): T {
  const item = items[position];
  if (item === undefined) throw new ReportLoadError('unavailable');
  return item;
}

/**
 * REPORTS_SOURCE for a one-call page: `live` computes its rows now; `cache` reads the cache,
 * and when the cache has no rows but the same page computed now has some (the cache missed
 * these pupils), serves the computed page once and enqueues their recalculation, so the next
 * read is fast again. Null: the page is not there for this caller.
 */
export async function servePage<D>(options: {
  source: ReportsSource;
  fetchPage: (live: boolean) => Promise<D | null>;
  rowCount: (document: D) => number;
  requestRecalc: (document: D) => Promise<void>;
}): Promise<{ document: D; servedFrom: ServedFrom } | null> {
  const page = await options.fetchPage(options.source === 'live');
  if (!page) return null;
  if (options.source === 'live') return { document: page, servedFrom: 'live' };
  if (options.rowCount(page) > 0) return { document: page, servedFrom: 'cache' };
  const computed = await options.fetchPage(true);
  if (!computed || options.rowCount(computed) === 0) return { document: page, servedFrom: 'cache' };
  await options.requestRecalc(computed);
  return { document: computed, servedFrom: 'cache_miss_live' };
}
