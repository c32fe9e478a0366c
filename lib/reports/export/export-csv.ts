/**
 * Export rows → CSV bytes as a web ReadableStream for a Route Handler. csv-stringify does the
 * quoting (commas, quotes, newlines; UTF-8 names as they are). stream.pipeline carries
 * backpressure from the HTTP response back to the page reader, and a failure anywhere
 * destroys the stream with the error, so the response ends abnormally (no final chunk)
 * instead of looking like a complete, shorter file.
 */
import { pipeline, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { ExportRow } from './export-rows';

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

/** One CSV line's fields, in EXPORT_COLUMNS order (arrays: csv-stringify skips a key lookup per field). */
export type CsvRecord = string[];

export function toCsvRecord(row: ExportRow): CsvRecord {
  return [
    row.groupName,
    row.pupilId,
    row.lastName,
    row.firstName,
    row.unitName,
    row.averageRating.toFixed(2),
    row.workingLevel,
    String(row.assignmentsCounted),
    String(row.criteriaRated),
    new Date(row.lastFeedbackAt).toISOString(),
    String(row.sourceVersion),
  ];
}

async function* records(rows: AsyncIterable<ExportRow>, onRow?: () => void): AsyncGenerator<CsvRecord> {
  for await (const row of rows) {
    onRow?.();
    yield toCsvRecord(row);
  }
}

/** A Node stream of CSV text; errors (a failed page) destroy it. */
export function csvNodeStream(
  rows: AsyncIterable<ExportRow>,
  hooks: { onRow?: () => void; onEnd?: (error: Error | null) => void } = {},
): Readable {
  const stringifier = stringify({ header: true, columns: EXPORT_COLUMNS.map((c) => ({ key: c.key, header: c.header })), record_delimiter: 'unix' });
  pipeline(Readable.from(records(rows, hooks.onRow)), stringifier, (error) => hooks.onEnd?.(error ?? null));
  return stringifier;
}

/** The same as a web ReadableStream<Uint8Array>, for `new Response(...)`. */
export function csvWebStream(
  rows: AsyncIterable<ExportRow>,
  hooks: { onRow?: () => void; onEnd?: (error: Error | null) => void } = {},
): ReadableStream<Uint8Array> {
  return Readable.toWeb(csvNodeStream(rows, hooks)) as ReadableStream<Uint8Array>;
}

/** `attachment; filename="…"; filename*=UTF-8''…` with an ASCII fallback. */
export function contentDisposition(baseName: string, day: Date = new Date()): string {
  const stamp = day.toISOString().slice(0, 10);
  const name = `${baseName}-${stamp}.csv`;
  const ascii = name.normalize('NFD').replace(/[^\w.-]+/g, '-').replace(/-+/g, '-');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
