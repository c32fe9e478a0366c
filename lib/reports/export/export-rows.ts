/**
 * The export's rows, read in keyset-paginated pages (by group, pupil) through supabase-js
 * (RPC reports_export_page_compact, as the caller: RLS decides what they get), each page one
 * compact json value parsed by export-page.ts. While the consumer writes one page, the next one
 * is already being fetched (at most two pages in memory: the one being written and the one in
 * flight), so the database and the gateway work in parallel with the CSV writing and memory
 * stays flat whatever the size. A failed or malformed page throws: the stream it feeds ends
 * with an error.
 */
import type { TypedSupabaseClient } from '@/lib/supabase/server';
import { parseExportPage, type ExportCursor, type ExportPage } from './export-page';

/** One group, or every readable group (optionally of one department). */
export type ExportScope = { groupId: string } | { departmentId: string | null };

/**
 * Pupils per round trip (~10 rows each: ~5,000 rows ≈ 0.2 MB of compact JSON, ~0.4 MB parsed,
 * ~25 ms of SQL). Measured on the real server at 100,000 rows (specs/reports/pages.md): 500 and
 * 1,000 give the same rows/s; 500 holds half as much in memory, and a smaller page is more
 * likely to be garbage before V8 would promote it to the old generation.
 */
export const EXPORT_PAGE_PUPILS = 500;

export class ExportReadError extends Error {
  constructor(readonly code: string) {
    super(`export page could not be read (${code})`);
    this.name = 'ExportReadError';
  }
}

async function readExportPage(
  client: TypedSupabaseClient,
  scope: ExportScope,
  after: ExportCursor | null,
  pagePupils: number,
): Promise<ExportPage> {
  const { data, error } = await client.rpc('reports_export_page_compact', {
    ...('groupId' in scope ? { p_group_id: scope.groupId } : scope.departmentId ? { p_department_id: scope.departmentId } : {}),
    ...(after ? { p_after_group_id: after.groupId, p_after_pupil_id: after.pupilId } : {}),
    p_limit: pagePupils,
  });
  if (error) throw new ExportReadError(error.code ?? 'unknown');
  const page = parseExportPage(data);
  if (!page) throw new ExportReadError('bad_shape');
  return page;
}

/** The scope's pages in (group, pupil) order; the last one has `next === null`. */
export async function* readExportPages(
  client: TypedSupabaseClient,
  scope: ExportScope,
  pagePupils: number = EXPORT_PAGE_PUPILS,
): AsyncGenerator<ExportPage> {
  let pending: Promise<ExportPage> | null = readExportPage(client, scope, null, pagePupils);
  try {
    while (pending) {
      const page: ExportPage = await pending;
      // Ask for the next page before writing this one: the fetch overlaps the writing.
      pending = page.next ? readExportPage(client, scope, page.next, pagePupils) : null;
      yield page;
    }
  } finally {
    // The consumer stopped early (client went away) or a page failed: don't leave a
    // prefetch's rejection unhandled.
    pending?.catch(() => undefined);
  }
}
