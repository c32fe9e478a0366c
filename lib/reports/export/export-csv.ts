/**
 * Export pages → CSV bytes as a web ReadableStream for a Route Handler.
 *
 * Quoting is csv-stringify's (commas, quotes, line breaks; UTF-8 as it is). Under this export's
 * options csv-stringify changes a field only when it holds a delimiter, a quote or a line break
 * (it then quotes it and doubles its quotes); any other text, and every number, it writes as it
 * is. So each text value of a page goes through csv-stringify only if it holds one of those
 * characters, and is otherwise written as it is; a line is its fields joined by commas, byte for
 * byte what csv-stringify writes for the whole record (export-csv.test.ts compares the two on
 * 200 seeded pages of awkward text). Text repeats per page (a pupil's four leading fields, a
 * unit, a working level), so it is quoted and UTF-8-encoded once per page and copied into each
 * line; numbers go into the chunk as ASCII (csv-chunk-writer.ts). Running every record through
 * csv-stringify instead cost ~5 µs and ~6 KB of garbage per row; at 100,000 rows that garbage
 * grew V8's young generation to 128 MB and pushed pages into the old generation, i.e. into the
 * server's RSS (specs/reports/pages.md).
 *
 * The stream is pull-based (highWaterMark 0): a ~64 KB chunk is made only when the response asks
 * for one, and Next waits for the socket to drain before asking again, so a slow client holds
 * back the page reader instead of buffering the export in memory. Every page ends its chunk, so
 * whatever reaches the client is whole pages. A failure anywhere (a page that cannot be read, a
 * malformed page) errors the stream, so the response ends abnormally (no final chunk) instead of
 * looking like a complete, shorter file.
 */
import { stringify, type Options } from 'csv-stringify/sync';
import { CsvChunkWriter } from './csv-chunk-writer';
import { exportPageRowCount, type ExportPage } from './export-page';

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

const CSV_OPTIONS: Options = { delimiter: ',', quote: '"', record_delimiter: 'unix' };
/** One record's fields without the record delimiter: csv-stringify's text for part of a line. */
const FIELDS_OPTIONS: Options = { ...CSV_OPTIONS, eof: false };
/** What makes csv-stringify quote a field under CSV_OPTIONS: the delimiter, the quote, a line break. */
const QUOTING_CHARACTERS = /[",\r\n]/;

export const CSV_HEADER = stringify([], { ...CSV_OPTIONS, header: true, columns: EXPORT_COLUMNS.map((c) => ({ key: c.key, header: c.header })) });

const encoder = new TextEncoder();
const HEADER_BYTES = encoder.encode(CSV_HEADER);

/** A text field as csv-stringify writes it under CSV_OPTIONS. */
export function csvField(value: string): string {
  return QUOTING_CHARACTERS.test(value) ? stringify([[value]], FIELDS_OPTIONS) : value;
}

/** An average in hundredths as the export writes it: two decimals, e.g. 250 → '2.50'. */
export function averageText(hundredths: number): string {
  return (hundredths / 100).toFixed(2);
}

export type CsvHooks = {
  /** Called after each chunk with the number of data rows it held. */
  onRows?: (rows: number) => void;
  /** Called once: null when the last byte was produced, else the error or the cancellation. */
  onEnd?: (error: Error | null) => void;
};

/** A page's text fields quoted and encoded once each, and its lines written from them. */
export class PageCsv {
  /** Per pupil: "group,pupil_id,last_name,first_name," */
  private readonly pupilFields: Uint8Array[];
  /** Per unit: "unit," */
  private readonly unitFields: Uint8Array[];
  /** Per working level: "level," */
  private readonly levelFields: Uint8Array[];
  /** At most ~300 distinct averages (0.00–3.00): formatted once each per page. */
  private readonly averages = new Map<number, string>();

  constructor(private readonly page: ExportPage) {
    const { groups, units, pupils, levels } = page;
    // Group names, first names, levels repeat within a page: each is quoted once.
    const quoted = new Map<string, string>();
    const field = (value: string) => {
      let text = quoted.get(value);
      if (text === undefined) {
        text = csvField(value);
        quoted.set(value, text);
      }
      return text;
    };
    const fields = (...values: string[]) => encoder.encode(`${values.map(field).join(',')},`);
    this.pupilFields = pupils.id.map((id, p) => fields(groups.name[pupils.group[p]!]!, id, pupils.lastName[p]!, pupils.firstName[p]!));
    this.unitFields = units.name.map((name) => fields(name));
    this.levelFields = levels.map((level) => fields(level));
  }

  private average(hundredths: number): string {
    let text = this.averages.get(hundredths);
    if (text === undefined) {
      text = averageText(hundredths);
      this.averages.set(hundredths, text);
    }
    return text;
  }

  /** Writes lines for rows [from, to) until the chunk is full; returns the next row to write. */
  write(out: CsvChunkWriter, from: number, to: number): number {
    const { rows } = this.page;
    let i = from;
    for (; i < to && !out.full; i += 1) {
      out.bytes(this.pupilFields[rows.pupil[i]!]!);
      out.bytes(this.unitFields[rows.unit[i]!]!);
      out.ascii(this.average(rows.averageRatingHundredths[i]!));
      out.comma();
      out.bytes(this.levelFields[rows.workingLevel[i]!]!);
      out.integer(rows.assignmentsCounted[i]!);
      out.comma();
      out.integer(rows.criteriaRated[i]!);
      out.comma();
      out.ascii(new Date(rows.lastFeedbackAtMs[i]!).toISOString());
      out.comma();
      out.integer(rows.sourceVersion[i]!);
      out.newline();
    }
    return i;
  }
}

/** The CSV in chunks: the header, then ~64 KB chunks of lines; every page ends its last chunk. */
export async function* csvChunks(pages: AsyncIterable<ExportPage>, onRows?: (rows: number) => void): AsyncGenerator<Uint8Array> {
  yield HEADER_BYTES;
  const out = new CsvChunkWriter();
  for await (const page of pages) {
    const csv = new PageCsv(page);
    const rows = exportPageRowCount(page);
    let written = 0;
    while (written < rows) {
      const next = csv.write(out, written, rows);
      const count = next - written;
      written = next;
      if (out.full || written === rows) {
        yield out.take();
        onRows?.(count);
      }
    }
  }
}

/** A pull-based byte stream of the CSV, for `new Response(...)`. */
export function csvWebStream(pages: AsyncIterable<ExportPage>, hooks: CsvHooks = {}): ReadableStream<Uint8Array> {
  const chunks = csvChunks(pages, hooks.onRows);
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
            controller.enqueue(next.value);
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
