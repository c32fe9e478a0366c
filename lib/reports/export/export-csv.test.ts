/** CSV writing: quoting of awkward values, chunking, backpressure, and a failure mid-stream ends the stream with an error. */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../tests/fixtures/school/seeded-random';
import { CHUNK_TARGET_BYTES } from './csv-chunk-writer';
import { averageText, contentDisposition, csvField, csvWebStream, EXPORT_COLUMNS } from './export-csv';
import { parseExportPage, type ExportPage } from './export-page';

const G = 'c0000000-0000-4000-8000-000000000001';
const U = 'd0000000-0000-4000-8000-000000000001';
const pupilId = (n: number) => `b0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** A page of `pupils` pupils from `first`, one row each, in one group with an awkward name. */
function page(first: number, pupils: number, lastName: (n: number) => string = (n) => `Name ${n}`): ExportPage {
  const ns = Array.from({ length: pupils }, (_, i) => first + i);
  const parsed = parseExportPage({
    groups: { id: [G], name: ['10Sc1'] },
    units: { id: [U], name: ['Cells, "intro"'] },
    pupils: { group: ns.map(() => 0), id: ns.map(pupilId), last_name: ns.map(lastName), first_name: ns.map(() => 'Zoë') },
    levels: ['exceeding'],
    rows: {
      pupil: ns.map((_, i) => i),
      unit: ns.map(() => 0),
      assignments_counted: ns.map(() => 1),
      criteria_rated: ns.map(() => 4),
      average_rating_hundredths: ns.map(() => 250),
      working_level: ns.map(() => 0),
      last_feedback_at_ms: ns.map(() => Date.parse('2026-10-01T09:00:00.000Z')),
      source_version: ns,
    },
    next: null,
  });
  if (!parsed) throw new Error('test page is malformed');
  return parsed;
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<{ text: string; chunks: number }> {
  const decoder = new TextDecoder();
  let text = '';
  let chunks = 0;
  for await (const chunk of stream) {
    text += decoder.decode(chunk, { stream: true });
    chunks += 1;
  }
  return { text: text + decoder.decode(), chunks };
}

async function* pagesOf(...pages: ExportPage[]) {
  yield* pages;
}

describe('csvWebStream', () => {
  it('quotes commas, quotes and newlines so the rows parse back intact', async () => {
    const awkward = ['O\'Brien, "Jr"\nSecond line', '李'];
    const { text } = await collect(csvWebStream(pagesOf(page(1, 2, (n) => awkward[n - 1]!))));
    const parsed = parse(text, { columns: true }) as Record<string, string>[];
    expect(parsed.map((r) => r.last_name)).toEqual(awkward);
    expect(parsed[0]).toMatchObject({
      group: '10Sc1', unit: 'Cells, "intro"', first_name: 'Zoë', average_rating: '2.50', assignments_counted: '1',
      last_feedback_at: '2026-10-01T09:00:00.000Z', source_version: '1',
    });
  });

  it('writes the header alone for an empty export', async () => {
    const { text } = await collect(csvWebStream(pagesOf()));
    expect(text).toBe('group,pupil_id,last_name,first_name,unit,average_rating,working_level,assignments_counted,criteria_rated,last_feedback_at,source_version\n');
  });

  it('writes ~64 KB chunks, ends each page with its own chunk, and counts every row once', async () => {
    const first = 2_000; // ~250 KB of lines: four chunks
    const rows: number[] = [];
    const sizes: number[] = [];
    let ended: Error | null | undefined;
    const stream = csvWebStream(pagesOf(page(1, first), page(first + 1, 3)), { onRows: (n) => rows.push(n), onEnd: (e) => (ended = e) });
    const decoder = new TextDecoder();
    let text = '';
    for await (const chunk of stream) {
      sizes.push(chunk.length);
      text += decoder.decode(chunk, { stream: true });
    }
    expect(rows.reduce((a, b) => a + b, 0)).toBe(first + 3);
    expect(rows.at(-1)).toBe(3); // the second page's rows, alone in the last chunk
    expect(sizes.slice(1, -2).every((size) => size >= CHUNK_TARGET_BYTES && size < CHUNK_TARGET_BYTES + 1024)).toBe(true);
    const parsed = parse(text, { columns: true }) as Record<string, string>[];
    expect(parsed.map((r) => Number(r.source_version))).toEqual(Array.from({ length: first + 3 }, (_, i) => i + 1));
    expect(ended).toBeNull();
  });

  it('makes a chunk only when the reader asks for one (backpressure reaches the page reader)', async () => {
    let pagesRead = 0;
    async function* counted() {
      for (let i = 0; i < 5; i += 1) {
        pagesRead += 1;
        yield page(i * 10 + 1, 10);
      }
    }
    const reader = csvWebStream(counted()).getReader();
    await reader.read(); // the header
    await reader.read(); // page 1
    // Nothing has been read ahead of the consumer.
    expect(pagesRead).toBe(1);
    await reader.cancel();
  });

  it('a failure after some rows errors the stream instead of ending it cleanly', async () => {
    async function* failing() {
      yield page(1, 1);
      throw new Error('page 2 failed');
    }
    let ended: Error | null | undefined;
    await expect(collect(csvWebStream(failing(), { onEnd: (error) => (ended = error) }))).rejects.toThrow('page 2 failed');
    expect(ended?.message).toBe('page 2 failed');
  });

  it('a client that goes away stops the page reader and ends with an error', async () => {
    let finished = false;
    async function* endless() {
      try {
        for (let i = 0; ; i += 1) yield page(i + 1, 1);
      } finally {
        finished = true;
      }
    }
    let ended: Error | null | undefined;
    const reader = csvWebStream(endless(), { onEnd: (error) => (ended = error) }).getReader();
    await reader.read();
    await reader.read();
    await reader.cancel(new Error('client went away'));
    expect(finished).toBe(true);
    expect(ended?.message).toBe('client went away');
  });
});

const AWKWARD = ['', ' ', ',', '"', '""', '\n', '\r\n', '\r', 'a,b', 'say "hi"', 'Zoë', '李', 'Øster\r\nGaard', '=SUM(A1)', '-1', '+1', '@x', '\t', "O'Brien", 'ñ, "x"\ny'];

/** A page of awkward text from a seed: every text column drawn from AWKWARD and random pieces of it. */
function awkwardPage(seed: number): ExportPage {
  const { next } = seededRandom(seed);
  const pick = () => AWKWARD[Math.floor(next() * AWKWARD.length)]!;
  const text = () => Array.from({ length: Math.floor(next() * 3) }, pick).join(next() < 0.5 ? '' : ' ');
  const id = (prefix: string, n: number) => `${prefix}0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const groups = 1 + Math.floor(next() * 3);
  const units = 1 + Math.floor(next() * 4);
  const pupils = 1 + Math.floor(next() * 20);
  const levels = Array.from({ length: 1 + Math.floor(next() * 3) }, (_, l) => (l === 0 ? 'secure' : text()));
  const pupilOf: number[] = [];
  const unitOf: number[] = [];
  for (let p = 0; p < pupils; p += 1) for (let u = 0; u < units; u += 1) if (next() < 0.8) (pupilOf.push(p), unitOf.push(u));
  const n = pupilOf.length;
  const parsed = parseExportPage({
    groups: { id: Array.from({ length: groups }, (_, g) => id('c', g)), name: Array.from({ length: groups }, text) },
    units: { id: Array.from({ length: units }, (_, u) => id('d', u)), name: Array.from({ length: units }, text) },
    pupils: {
      group: Array.from({ length: pupils }, () => Math.floor(next() * groups)),
      id: Array.from({ length: pupils }, (_, p) => id('b', p)),
      last_name: Array.from({ length: pupils }, text),
      first_name: Array.from({ length: pupils }, text),
    },
    levels,
    rows: {
      pupil: pupilOf,
      unit: unitOf,
      assignments_counted: Array.from({ length: n }, () => Math.floor(next() * 5)),
      criteria_rated: Array.from({ length: n }, () => Math.floor(next() * 9)),
      average_rating_hundredths: Array.from({ length: n }, () => Math.floor(next() * 301)),
      working_level: Array.from({ length: n }, () => Math.floor(next() * levels.length)),
      last_feedback_at_ms: Array.from({ length: n }, () => Date.UTC(2026, 8, 1) + Math.floor(next() * 1e10)),
      source_version: Array.from({ length: n }, () => Math.floor(next() * 1e12)),
    },
    next: null,
  });
  if (!parsed) throw new Error(`seed ${seed}: generated page is malformed`);
  return parsed;
}

/** numeric(4,2) as Postgres prints it, from hundredths, without floating point. */
const decimalText = (hundredths: number) => `${Math.trunc(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;

/** The reference: every row as a full record through csv-stringify, in EXPORT_COLUMNS order. */
function referenceCsv(page: ExportPage): string {
  const { groups, units, pupils, levels, rows } = page;
  const records = rows.pupil.map((p, i) => [
    groups.name[pupils.group[p]!]!, pupils.id[p]!, pupils.lastName[p]!, pupils.firstName[p]!, units.name[rows.unit[i]!]!,
    decimalText(rows.averageRatingHundredths[i]!), levels[rows.workingLevel[i]!]!, rows.assignmentsCounted[i]!,
    rows.criteriaRated[i]!, new Date(rows.lastFeedbackAtMs[i]!).toISOString(), rows.sourceVersion[i]!,
  ]);
  return stringify(records, { header: true, columns: EXPORT_COLUMNS.map((c) => ({ key: c.key, header: c.header })), record_delimiter: 'unix' });
}

describe('averageText', () => {
  it('writes every average from 0.00 to 9.99 as Postgres prints numeric(4,2)', () => {
    for (let h = 0; h < 1000; h += 1) expect(averageText(h)).toBe(decimalText(h));
  });
});

describe('csvField', () => {
  it.each(AWKWARD)('writes %j as csv-stringify writes it', (value) => {
    expect(csvField(value)).toBe(stringify([[value, 'x']], { record_delimiter: 'unix', eof: false }).slice(0, -2));
  });
});

describe('the export CSV', () => {
  it.each(Array.from({ length: 200 }, (_, seed) => seed))('is exactly what csv-stringify writes for whole records (seed %i)', async (seed) => {
    const pages = [awkwardPage(seed), awkwardPage(seed + 10_000)];
    const { text } = await collect(csvWebStream(pagesOf(...pages)));
    const [first, second] = pages.map(referenceCsv);
    // The reference writes the header once per call: drop the second one.
    expect(text).toBe(first! + second!.slice(second!.indexOf('\n') + 1));
  });
});

describe('contentDisposition', () => {
  it('gives an ASCII fallback and the UTF-8 name', () => {
    expect(contentDisposition('markbook-10Sc1 ñ', new Date('2026-11-22T10:00:00Z'))).toBe(
      "attachment; filename=\"markbook-10Sc1-n-2026-11-22.csv\"; filename*=UTF-8''markbook-10Sc1%20%C3%B1-2026-11-22.csv",
    );
  });
});
