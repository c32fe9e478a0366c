/**
 * The streamed CSV Response both export routes return, with telemetry for the whole stream
 * (rows written, duration, outcome) once it ends: the route handler itself returns as soon
 * as the headers are ready.
 */
import type { TypedSupabaseClient } from '@/lib/supabase/server';
import { withTelemetry } from '@/lib/telemetry/with-telemetry';
import { contentDisposition, csvWebStream } from './export-csv';
import { readExportPages, type ExportScope } from './export-rows';

const streamTelemetry = withTelemetry(
  'export.csvStream',
  async (_scope: ExportScope, ended: Promise<number>) => ended,
  { rowCount: (rows) => rows },
);

export function csvExportResponse(client: TypedSupabaseClient, scope: ExportScope, fileBase: string): Response {
  let rows = 0;
  let finish: (error: Error | null) => void = () => undefined;
  const ended = new Promise<number>((resolve, reject) => {
    finish = (error) => (error ? reject(error) : resolve(rows));
  });
  // Recorded when the last byte is written (or the stream fails), not when headers go out.
  void streamTelemetry(scope, ended).catch(() => undefined);
  const body = csvWebStream(readExportPages(client, scope), {
    onRows: (count) => {
      rows += count;
    },
    onEnd: (error) => finish(error),
  });
  return new Response(body, {
    status: 200,
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': contentDisposition(fileBase),
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}
