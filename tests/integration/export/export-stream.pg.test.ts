/**
 * The streamed CSV export at 100,000 rows, through supabase-js as a signed-in user (so RLS
 * applies) and the same code the route handler uses (readExportPages → csvWebStream): every
 * row parses back to exactly the row generated (awkward names included), in keyset order;
 * memory stays flat (retained heap measured at each quarter); throughput recorded. The parser
 * checks each row as it arrives, so the test holds no more rows than the export does. Also:
 * RLS, and a page that fails mid-export ends the stream with an error after the rows before it.
 */
import { performance } from 'node:perf_hooks';
import { pipeline, Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parse } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import pg from 'pg';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { csvWebStream } from '@/lib/reports/export/export-csv';
import { readExportPages } from '@/lib/reports/export/export-rows';
import type { Database } from '@/lib/supabase/database.types';
import { expectedRow, makeGeneratedCohort, type GeneratedCohort } from './generated-cohort';

const stack = inject('stack');
const PUPILS = 10_000;
const UNITS = 10;
const RSS_SAMPLE_MS = 25;

/** A full GC on demand (the documented --expose-gc flag, set at runtime), to measure what is retained. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

let db: pg.Client;
let cohort: GeneratedCohort;

async function signedIn(email: string, fetchOverride?: typeof fetch): Promise<SupabaseClient<Database>> {
  const client = createClient<Database>(stack.apiUrl, stack.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    ...(fetchOverride ? { global: { fetch: fetchOverride } } : {}),
  });
  const { error } = await client.auth.signInWithPassword({ email, password: 'markbook-demo' });
  if (error) throw new Error(`sign in ${email}: ${error.message}`);
  return client;
}

/** The export as CSV records (objects keyed by header), parsed as they stream; a stream error rejects the iteration. */
function csvRecords(client: SupabaseClient<Database>, scope: Parameters<typeof readExportPages>[1], pagePupils?: number) {
  const parser = parse({ columns: true });
  pipeline(Readable.fromWeb(csvWebStream(readExportPages(client, scope, pagePupils)) as WebReadableStream), parser, () => undefined);
  return parser as AsyncIterable<Record<string, string>>;
}

beforeAll(async () => {
  db = new pg.Client({ connectionString: stack.dbUrl });
  await db.connect();
  cohort = await makeGeneratedCohort(db, PUPILS, UNITS);
}, 120_000);
afterAll(() => db.end());

describe('streamed CSV export', () => {
  test('100,000 rows round-trip through a CSV parser, in order, with flat memory', async () => {
    const admin = await signedIn('admin@markbook.test');
    collectGarbage();
    const baselineRss = process.memoryUsage().rss;
    let peakRss = baselineRss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, RSS_SAMPLE_MS);

    const started = performance.now();
    let index = 0;
    // JS heap retained (after a full GC) at each quarter of the rows: flat memory means the last
    // is no higher than the first. RSS is reported, not asserted: V8 keeps freed pages mapped.
    const retained: number[] = [];
    let mismatch: { index: number; got: Record<string, string>; want: Record<string, string> } | null = null;
    for await (const record of csvRecords(admin, { groupId: cohort.groupId })) {
      const n = Math.floor(index / UNITS) + 1;
      const u = (index % UNITS) + 1;
      const want = expectedRow(cohort, n, u);
      if (!mismatch && JSON.stringify(record) !== JSON.stringify(want)) mismatch = { index, got: record, want };
      index += 1;
      if (index % ((PUPILS * UNITS) / 4) === 0) {
        collectGarbage();
        retained.push(process.memoryUsage().heapUsed);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);

    expect(mismatch).toBeNull();
    expect(index).toBe(PUPILS * UNITS);
    const figures = {
      rows: index,
      seconds: Math.round(seconds * 100) / 100,
      rowsPerSecond: Math.round(index / seconds),
      baselineRssMb: Math.round(baselineRss / 2 ** 20),
      peakRssMb: Math.round(peakRss / 2 ** 20),
      growthMb: Math.round((peakRss - baselineRss) / 2 ** 20),
      retainedHeapMbPerQuarter: retained.map((rss) => Math.round(rss / 2 ** 20)),
    };
    console.log(`[export] ${JSON.stringify(figures)}`);
    // Flat: at most two pages (~10,000 rows each, ~1 MB parsed: one written, one prefetched) at a
    // time, so what the heap retains does not grow with the rows written. Holding the 100,000
    // rows would add well over 16 MB.
    expect(retained).toHaveLength(4);
    expect(retained[3]! - retained[0]!).toBeLessThan(16 * 2 ** 20);
  }, 240_000);

  test('RLS applies: a teacher exporting the generated group gets no rows; the head of science none of it', async () => {
    for (const email of ['teacher.a@markbook.test', 'hod.science@markbook.test']) {
      const client = await signedIn(email);
      let rows = 0;
      for await (const page of readExportPages(client, { groupId: cohort.groupId }, 100)) rows += page.rows.pupil.length;
      expect(rows).toBe(0);
      let all = 0;
      for await (const page of readExportPages(client, { departmentId: null }, 100)) {
        expect(page.groups.id).not.toContain(cohort.groupId);
        all += page.rows.pupil.length;
      }
      expect(all).toBeGreaterThan(0);
      // And through the CSV: no line of the generated group.
      for await (const record of csvRecords(client, { departmentId: null }, 100)) expect(record.group).not.toBe(cohort.groupName);
    }
  }, 60_000);

  test('a page that fails mid-export ends the CSV with an error after the rows already written', async () => {
    // The third export page answers 503, as a gateway under strain would; the first two are real.
    let pageRequests = 0;
    const failingThirdPage: typeof fetch = async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url.includes('/rpc/reports_export_page_compact')) {
        pageRequests += 1;
        if (pageRequests === 3) {
          return new Response(JSON.stringify({ code: 'PGRST000', message: 'unavailable', details: null, hint: null }), {
            status: 503,
            headers: { 'Content-Type': 'application/json' },
          });
        }
      }
      return fetch(input, init);
    };
    const admin = await signedIn('admin@markbook.test', failingThirdPage);
    // Read the bytes exactly as the response would send them, until the stream fails.
    const reader = csvWebStream(readExportPages(admin, { groupId: cohort.groupId }, 100)).getReader();
    const decoder = new TextDecoder();
    let text = '';
    let failure: unknown = null;
    for (;;) {
      const next = await reader.read().catch((error: unknown) => ((failure = error), null));
      if (!next || next.done) break;
      text += decoder.decode(next.value, { stream: true });
    }
    expect(String(failure)).toMatch(/export page could not be read \(PGRST000\)/);
    // Pages one and two (100 pupils × 10 units each) were written, whole; page three never was.
    const records = parseSync(text, { columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(2 * 100 * UNITS);
    expect(records.at(-1)).toEqual(expectedRow(cohort, 200, UNITS));
  }, 60_000);
});
