/** CSV writing: quoting of awkward values, chunking, backpressure, and a failure mid-stream ends the stream with an error. */
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { contentDisposition, csvWebStream, EXPORT_CHUNK_ROWS } from './export-csv';
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
    rows: {
      pupil: ns.map((_, i) => i),
      unit: ns.map(() => 0),
      assignments_counted: ns.map(() => 1),
      criteria_rated: ns.map(() => 4),
      average_rating: ns.map(() => '2.50'),
      working_level: ns.map(() => 'exceeding'),
      last_feedback_at: ns.map(() => '2026-10-01T09:00:00.000Z'),
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

  it('writes EXPORT_CHUNK_ROWS records per chunk across pages, counting every row once', async () => {
    const first = EXPORT_CHUNK_ROWS + 10;
    const rows: number[] = [];
    let ended: Error | null | undefined;
    const { text, chunks } = await collect(
      csvWebStream(pagesOf(page(1, first), page(first + 1, 3)), { onRows: (n) => rows.push(n), onEnd: (e) => (ended = e) }),
    );
    expect(rows).toEqual([EXPORT_CHUNK_ROWS, 10, 3]);
    expect(chunks).toBe(1 + rows.length); // the header, then one chunk per slice
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

describe('contentDisposition', () => {
  it('gives an ASCII fallback and the UTF-8 name', () => {
    expect(contentDisposition('markbook-10Sc1 ñ', new Date('2026-11-22T10:00:00Z'))).toBe(
      "attachment; filename=\"markbook-10Sc1-n-2026-11-22.csv\"; filename*=UTF-8''markbook-10Sc1%20%C3%B1-2026-11-22.csv",
    );
  });
});
