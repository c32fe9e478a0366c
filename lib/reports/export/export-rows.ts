/**
 * The export's rows, read in keyset-paginated pages (by group, pupil) through supabase-js (PostgREST RPC
 * reports_export_page, as the caller: RLS decides what they get). While the consumer writes
 * one page, the next one is already being fetched (at most two pages in memory: the one
 * being written and the one in flight), so the database and the gateway work in parallel
 * with the CSV writing and memory stays flat whatever the size. A failed page throws: the
 * stream it feeds ends with an error.
 */
import { z } from 'zod';
import { unitSummaryColumns, unitSummaryToApp } from '../unit-summary-columns';
import type { TypedSupabaseClient } from '@/lib/supabase/server';

type ExportRowShape = {
  groupId: string; groupName: string; pupilId: string; lastName: string; firstName: string; unitId: string; unitName: string;
  assignmentsCounted: number; criteriaRated: number; averageRating: number; workingLevel: string; lastFeedbackAt: string; sourceVersion: number;
};


export const exportRowSchema = z
  .object({
    group_id: z.guid(),
    group_name: z.string(),
    pupil_id: z.guid(),
    last_name: z.string(),
    first_name: z.string(),
    unit_id: z.guid(),
    unit_name: z.string(),
    ...unitSummaryColumns,
  })
  .transform((r): ExportRowShape => ({
    groupId: r.group_id,
    groupName: r.group_name,
    pupilId: r.pupil_id,
    lastName: r.last_name,
    firstName: r.first_name,
    unitId: r.unit_id,
    unitName: r.unit_name,
    ...unitSummaryToApp(r),
  }));
export type ExportRow = ExportRowShape;

/** A page row: the cursor of every pupil in the page, and its unit row unless it has none. */
const exportPageRowSchema = z.union([
  exportRowSchema,
  z.object({ group_id: z.guid(), pupil_id: z.guid(), unit_id: z.null() }).transform((r) => ({ groupId: r.group_id, pupilId: r.pupil_id, empty: true as const })),
]);

/** One group, or every readable group (optionally of one department). */
export type ExportScope = { groupId: string } | { departmentId: string | null };

/**
 * Pupils per round trip (~10 rows each, so ~10,000 rows ≈ 4 MB of JSON): large enough to
 * amortise the request, small enough that two pages in memory stay well under the RSS target.
 */
export const EXPORT_PAGE_PUPILS = 1000;

export class ExportReadError extends Error {
  constructor(readonly code: string) {
    super(`export page could not be read (${code})`);
    this.name = 'ExportReadError';
  }
}

type ExportCursor = { groupId: string; pupilId: string };
type ExportPage = { rows: ExportRow[]; next: ExportCursor | null };

async function readExportPage(
  client: TypedSupabaseClient,
  scope: ExportScope,
  after: ExportCursor | null,
  pagePupils: number,
): Promise<ExportPage> {
  const { data, error } = await client.rpc('reports_export_page', {
    ...('groupId' in scope ? { p_group_id: scope.groupId } : scope.departmentId ? { p_department_id: scope.departmentId } : {}),
    ...(after ? { p_after_group_id: after.groupId, p_after_pupil_id: after.pupilId } : {}),
    p_limit: pagePupils,
  });
  if (error) throw new ExportReadError(error.code ?? 'unknown');
  const parsed = z.array(exportPageRowSchema).safeParse(data ?? []);
  if (!parsed.success) throw new ExportReadError('bad_shape');
  const last = parsed.data[parsed.data.length - 1];
  const rows: ExportRow[] = [];
  for (const row of parsed.data) if (!('empty' in row)) rows.push(row);
  // A page never splits a pupil, so fewer pupils than asked for means this was the last page.
  return { rows, next: last ? { groupId: last.groupId, pupilId: last.pupilId } : null };
}

export async function* readExportRows(
  client: TypedSupabaseClient,
  scope: ExportScope,
  pagePupils: number = EXPORT_PAGE_PUPILS,
): AsyncGenerator<ExportRow> {
  let pending: Promise<ExportPage> | null = readExportPage(client, scope, null, pagePupils);
  try {
    while (pending) {
      const page: ExportPage = await pending;
      // Ask for the next page before writing this one: the fetch overlaps the writing.
      pending = page.next ? readExportPage(client, scope, page.next, pagePupils) : null;
      yield* page.rows;
    }
  } finally {
    // The consumer stopped early (client went away) or a page failed: don't leave a
    // prefetch's rejection unhandled.
    pending?.catch(() => undefined);
  }
}
