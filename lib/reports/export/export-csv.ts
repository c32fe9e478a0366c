/**
 * Export pages → CSV bytes as a web ReadableStream for a Route Handler.
 *
 * csv-stringify does the quoting (commas, quotes, newlines; UTF-8 names as they are), through
 * its synchronous API on slices of EXPORT_CHUNK_ROWS records: one ~75 KB chunk per slice
 * instead of one stream chunk per record (its stream API pushes every record through the
 * stream machinery and then the HTTP response as its own ~150-byte write, which cost more than
 * the CSV itself). The stream is pull-based (highWaterMark 0): a chunk is made only when the
 * response asks for one, and Next waits for the socket to drain before asking again, so a slow
 * client holds back the page reader instead of buffering the export in memory. A failure
 * anywhere (a page that cannot be read, a malformed page) errors the stream, so the response
 * ends abnormally (no final chunk) instead of looking like a complete, shorter file.
 */
import { stringify, type Options } from 'csv-stringify/sync';
import { exportPageRecords, exportPageRowCount, type ExportPage } from './export-page';

export const EXPORT_COLUMNS = [
  { key: 'group', header: 'group' },
  { key: 'pupil_id', header: 'pupil_id' },
  { key: 'last_name', header: 'last_name' },
  { key: 'first_name', header: 'first_name' },
  { key: 'unit', header: 'unit' },
  { key: 'average_rating', header: 'average_rating' },
  { key: 'working_level', header: 'working_level' },
  { key: 'assignments_counted', header: 'assignments_counted' },
  { key: 'criteria_rated', header: 'criteria_rated' },
  { key: 'last_feedback_at', header: 'last_feedback_at' },
  { key: 'source_version', header: 'source_version' },
] as const;

/** Records per chunk: ~150 bytes each, so ~75 KB — a few socket writes, no big strings. */
export const EXPORT_CHUNK_ROWS = 500;

const CSV_OPTIONS: Options = { record_delimiter: 'unix' };

export type CsvHooks = {
  /** Called after each chunk with the number of data rows it held. */
  onRows?: (rows: number) => void;
  /** Called once: null when the last byte was produced, else the error or the cancellation. */
  onEnd?: (error: Error | null) => void;
};

/** The CSV text in chunks: the header line, then EXPORT_CHUNK_ROWS records at a time. */
export async function* csvTextChunks(pages: AsyncIterable<ExportPage>, onRows?: (rows: number) => void): AsyncGenerator<string> {
  yield stringify([], { ...CSV_OPTIONS, header: true, columns: EXPORT_COLUMNS.map((c) => ({ key: c.key, header: c.header })) });
  for await (const page of pages) {
    const rows = exportPageRowCount(page);
    for (let from = 0; from < rows; from += EXPORT_CHUNK_ROWS) {
      const to = Math.min(rows, from + EXPORT_CHUNK_ROWS);
      yield stringify(exportPageRecords(page, from, to), CSV_OPTIONS);
      onRows?.(to - from);
    }
  }
}

/** A pull-based byte stream of the CSV, for `new Response(...)`. */
export function csvWebStream(pages: AsyncIterable<ExportPage>, hooks: CsvHooks = {}): ReadableStream<Uint8Array> {
  const chunks = csvTextChunks(pages, hooks.onRows);
  const encoder = new TextEncoder();
  let ended = false;
  const end = (error: Error | null) => {
    if (ended) return;
    ended = true;
    hooks.onEnd?.(error);
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const next = await chunks.next();
          if (next.done) {
            controller.close();
            end(null);
          } else {
            controller.enqueue(encoder.encode(next.value));
          }
        } catch (error) {
          const failure = error instanceof Error ? error : new Error(String(error));
          controller.error(failure);
          end(failure);
        }
      },
      async cancel(reason) {
        // The client went away: stop reading pages (the generators' finally blocks run).
        end(reason instanceof Error ? reason : new Error('export cancelled by the client'));
        await chunks.return(undefined);
      },
    },
    { highWaterMark: 0 },
  );
}

/** `attachment; filename="…"; filename*=UTF-8''…` with an ASCII fallback. */
export function contentDisposition(baseName: string, day: Date = new Date()): string {
  const stamp = day.toISOString().slice(0, 10);
  const name = `${baseName}-${stamp}.csv`;
  const ascii = name.normalize('NFD').replace(/[^\w.-]+/g, '-').replace(/-+/g, '-');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
