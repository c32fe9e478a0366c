/**
 * One page of the CSV export as `reports_export_page_compact` returns it (shape documented in
 * migration 20261122081000): groups, units and pupils once, rows as parallel arrays of indexes
 * and values. Parsed with zod at the shape level: each column is one schema that checks the
 * whole array in a plain loop (no per-element schema, so no object allocated per value:
 * per-element z.array(z.int()) cost ~1.2 KB of garbage per row, which at 100,000 rows pushed
 * V8's young generation, and with it the server's RSS, up), the columns of one table are
 * equally long, every index is in range. Per-row values are all numbers (indexes, counts,
 * the average in hundredths, the timestamp in epoch milliseconds): a page stays in memory while
 * it is written, and number arrays are half the heap of per-row strings.
 */
import { z } from 'zod';
import { columnOf, isGuid, isIndex, isText } from '../document-checks';

/** The range of a JavaScript Date (ECMA-262 §21.4.1.1): any epoch-ms integer within it formats. */
const MAX_DATE_MS = 8.64e15;

const isInteger = (value: unknown): value is number => Number.isSafeInteger(value);
const isEpochMs = (value: unknown): value is number => isInteger(value) && Math.abs(value) <= MAX_DATE_MS;

const guids = columnOf('uuids', isGuid);
const texts = columnOf('strings', isText);
const integers = columnOf('integers', isInteger);
const indexes = columnOf('indexes', isIndex);
const epochMs = columnOf('epoch milliseconds', isEpochMs);

const compactPageSchema = z
  .object({
    groups: z.object({ id: guids, name: texts }),
    units: z.object({ id: guids, name: texts }),
    pupils: z.object({ group: indexes, id: guids, last_name: texts, first_name: texts }),
    levels: texts,
    rows: z.object({
      pupil: indexes,
      unit: indexes,
      assignments_counted: integers,
      criteria_rated: integers,
      average_rating_hundredths: integers,
      working_level: indexes,
      last_feedback_at_ms: epochMs,
      source_version: integers,
    }),
    next: z.object({ group_id: z.guid(), pupil_id: z.guid() }).nullable(),
  })
  .superRefine((page, ctx) => {
    const lengthsMatch = (columns: unknown[][]) => columns.every((c) => c.length === columns[0]!.length);
    const { groups, units, pupils, levels, rows } = page;
    if (
      !lengthsMatch([groups.id, groups.name]) ||
      !lengthsMatch([units.id, units.name]) ||
      !lengthsMatch([pupils.group, pupils.id, pupils.last_name, pupils.first_name]) ||
      !lengthsMatch(Object.values(rows))
    ) {
      ctx.addIssue({ code: 'custom', message: 'columns of one table differ in length' });
      return;
    }
    const inRange = (values: number[], size: number) => values.every((i) => i < size);
    if (
      !inRange(pupils.group, groups.id.length) ||
      !inRange(rows.pupil, pupils.id.length) ||
      !inRange(rows.unit, units.id.length) ||
      !inRange(rows.working_level, levels.length)
    ) {
      ctx.addIssue({ code: 'custom', message: 'an index points past its list' });
    }
  })
  .transform(({ groups, units, pupils, levels, rows, next }) => ({
    groups,
    units,
    pupils: { group: pupils.group, id: pupils.id, lastName: pupils.last_name, firstName: pupils.first_name },
    levels,
    rows: {
      pupil: rows.pupil,
      unit: rows.unit,
      assignmentsCounted: rows.assignments_counted,
      criteriaRated: rows.criteria_rated,
      averageRatingHundredths: rows.average_rating_hundredths,
      workingLevel: rows.working_level,
      lastFeedbackAtMs: rows.last_feedback_at_ms,
      sourceVersion: rows.source_version,
    },
    next: next ? { groupId: next.group_id, pupilId: next.pupil_id } : null,
  }));

export type ExportPage = z.output<typeof compactPageSchema>;
export type ExportCursor = NonNullable<ExportPage['next']>;

/** The page, or null when the value is not a well-formed compact page. */
export function parseExportPage(data: unknown): ExportPage | null {
  const parsed = compactPageSchema.safeParse(data);
  return parsed.success ? parsed.data : null;
}

export function exportPageRowCount(page: ExportPage): number {
  return page.rows.pupil.length;
}
