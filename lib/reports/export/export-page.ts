/**
 * One page of the CSV export as `reports_export_page_compact` returns it (shape documented in
 * migration 20261122081000): groups, units and pupils once, rows as parallel arrays of indexes
 * and values. Parsed with zod at the shape level — each column an array of the right
 * primitive, the columns of one table equally long, every index in range — which is a few
 * tight loops over plain arrays, with no object built or checked per row. The CSV records are
 * then plain arrays read straight out of the columns.
 */
import { z } from 'zod';

const index = z.int().nonnegative();

const compactPageSchema = z
  .object({
    groups: z.object({ id: z.array(z.guid()), name: z.array(z.string()) }),
    units: z.object({ id: z.array(z.guid()), name: z.array(z.string()) }),
    pupils: z.object({
      group: z.array(index),
      id: z.array(z.guid()),
      last_name: z.array(z.string()),
      first_name: z.array(z.string()),
    }),
    rows: z.object({
      pupil: z.array(index),
      unit: z.array(index),
      assignments_counted: z.array(z.int()),
      criteria_rated: z.array(z.int()),
      // numeric(4,2) as Postgres prints it ('2.50') and UTC ISO 8601 with milliseconds: the
      // CSV's own text, so nothing is reformatted per row.
      average_rating: z.array(z.string()),
      working_level: z.array(z.string()),
      last_feedback_at: z.array(z.string()),
      source_version: z.array(z.int()),
    }),
    next: z.object({ group_id: z.guid(), pupil_id: z.guid() }).nullable(),
  })
  .superRefine((page, ctx) => {
    const lengthsMatch = (columns: unknown[][]) => columns.every((column) => column.length === columns[0]!.length);
    const { groups, units, pupils, rows } = page;
    if (
      !lengthsMatch([groups.id, groups.name]) ||
      !lengthsMatch([units.id, units.name]) ||
      !lengthsMatch([pupils.group, pupils.id, pupils.last_name, pupils.first_name]) ||
      !lengthsMatch(Object.values(rows))
    ) {
      ctx.addIssue({ code: 'custom', message: 'columns of one table differ in length' });
      return;
    }
    const inRange = (indexes: number[], size: number) => indexes.every((i) => i < size);
    if (!inRange(pupils.group, groups.id.length) || !inRange(rows.pupil, pupils.id.length) || !inRange(rows.unit, units.id.length)) {
      ctx.addIssue({ code: 'custom', message: 'an index points past its list' });
    }
  })
  .transform(({ groups, units, pupils, rows, next }) => ({
    groups,
    units,
    pupils: { group: pupils.group, id: pupils.id, lastName: pupils.last_name, firstName: pupils.first_name },
    rows: {
      pupil: rows.pupil,
      unit: rows.unit,
      assignmentsCounted: rows.assignments_counted,
      criteriaRated: rows.criteria_rated,
      averageRating: rows.average_rating,
      workingLevel: rows.working_level,
      lastFeedbackAt: rows.last_feedback_at,
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

/** One CSV line's fields in EXPORT_COLUMNS order (numbers are written as they print). */
export type CsvRecord = Array<string | number>;

/** CSV records for rows [from, to) of the page. */
export function exportPageRecords(page: ExportPage, from: number, to: number): CsvRecord[] {
  const { groups, units, pupils, rows } = page;
  const records: CsvRecord[] = new Array<CsvRecord>(to - from);
  for (let i = from; i < to; i += 1) {
    const pupil = rows.pupil[i]!;
    records[i - from] = [
      groups.name[pupils.group[pupil]!]!,
      pupils.id[pupil]!,
      pupils.lastName[pupil]!,
      pupils.firstName[pupil]!,
      units.name[rows.unit[i]!]!,
      rows.averageRating[i]!,
      rows.workingLevel[i]!,
      rows.assignmentsCounted[i]!,
      rows.criteriaRated[i]!,
      rows.lastFeedbackAt[i]!,
      rows.sourceVersion[i]!,
    ];
  }
  return records;
}
