/**
 * Timed GETs against the app server: a page (time to headers and to the last byte of the
 * streamed HTML) and a CSV export (bytes, records and rows/s, counting records with a
 * quote-aware scan so a newline inside a quoted name is not a record break).
 */
import { performance } from 'node:perf_hooks';

export type PageTiming = { status: number; headersMs: number; totalMs: number; bytes: number };

export async function timePage(url: string, cookie: string): Promise<PageTiming> {
  const started = performance.now();
  const response = await fetch(url, { headers: { cookie }, redirect: 'manual' });
  const headersMs = performance.now() - started;
  const body = await response.arrayBuffer();
  return { status: response.status, headersMs, totalMs: performance.now() - started, bytes: body.byteLength };
}

const QUOTE = 0x22;
const NEWLINE = 0x0a;

/** Counts CSV records (header included) across chunks; `"` toggles quoting, `""` toggles twice. */
export class CsvRecordCounter {
  records = 0;
  private quoted = false;
  private sawByte = false;
  private endedWithNewline = false;

  push(chunk: Uint8Array): void {
    for (let i = 0; i < chunk.length; i += 1) {
      const byte = chunk[i]!;
      if (byte === QUOTE) this.quoted = !this.quoted;
      else if (byte === NEWLINE && !this.quoted) this.records += 1;
    }
    if (chunk.length > 0) {
      this.sawByte = true;
      this.endedWithNewline = chunk[chunk.length - 1] === NEWLINE;
    }
  }

  /** Records seen, counting a last line without a trailing newline. */
  total(): number {
    return this.records + (this.sawByte && !this.endedWithNewline ? 1 : 0);
  }
}

export type ExportTiming = {
  status: number;
  headersMs: number;
  seconds: number;
  bytes: number;
  /** Data rows (records minus the header line). */
  rows: number;
  /** False when the body ended with an error (a failed page ends the response abnormally). */
  complete: boolean;
};

export async function timeExport(url: string, cookie: string): Promise<ExportTiming> {
  const started = performance.now();
  const response = await fetch(url, { headers: { cookie }, redirect: 'manual' });
  const headersMs = performance.now() - started;
  const counter = new CsvRecordCounter();
  let bytes = 0;
  let complete = true;
  try {
    for await (const chunk of response.body ?? []) {
      bytes += chunk.byteLength;
      counter.push(chunk);
    }
  } catch {
    complete = false;
  }
  const seconds = (performance.now() - started) / 1000;
  return { status: response.status, headersMs, seconds, bytes, rows: Math.max(0, counter.total() - 1), complete };
}
