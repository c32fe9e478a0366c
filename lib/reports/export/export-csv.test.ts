/** CSV writing: quoting of awkward values, and a failure mid-stream ends the stream with an error. */
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { contentDisposition, csvNodeStream } from './export-csv';
import type { ExportRow } from './export-rows';

function row(n: number, lastName = `Name ${n}`): ExportRow {
  return {
    groupId: 'g', groupName: '10Sc1', pupilId: `p${n}`, lastName, firstName: 'Zoë', unitId: 'u', unitName: 'Cells, "intro"',
    assignmentsCounted: 1, criteriaRated: 4, averageRating: 2.5, workingLevel: 'exceeding', lastFeedbackAt: '2026-10-01T09:00:00+00:00', sourceVersion: n,
  };
}

async function collect(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text;
}

describe('csvNodeStream', () => {
  it('quotes commas, quotes and newlines so the rows parse back intact', async () => {
    async function* rows() {
      yield row(1, 'O\'Brien, "Jr"\nSecond line');
      yield row(2, '李');
    }
    const parsed = parse(await collect(csvNodeStream(rows())), { columns: true }) as Record<string, string>[];
    expect(parsed.map((r) => r.last_name)).toEqual(['O\'Brien, "Jr"\nSecond line', '李']);
    expect(parsed[0]).toMatchObject({ unit: 'Cells, "intro"', first_name: 'Zoë', average_rating: '2.50', last_feedback_at: '2026-10-01T09:00:00.000Z' });
  });

  it('a failure after some rows errors the stream instead of ending it cleanly', async () => {
    async function* rows() {
      yield row(1);
      throw new Error('page 2 failed');
    }
    let ended: Error | null | undefined;
    const stream = csvNodeStream(rows(), { onEnd: (error) => (ended = error) });
    await expect(collect(stream)).rejects.toThrow('page 2 failed');
    expect(ended?.message).toBe('page 2 failed');
  });
});

describe('contentDisposition', () => {
  it('gives an ASCII fallback and the UTF-8 name', () => {
    expect(contentDisposition('markbook-10Sc1 ñ', new Date('2026-11-22T10:00:00Z'))).toBe(
      "attachment; filename=\"markbook-10Sc1-n-2026-11-22.csv\"; filename*=UTF-8''markbook-10Sc1%20%C3%B1-2026-11-22.csv",
    );
  });
});
