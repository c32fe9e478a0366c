/** The chunk writer: integers as String() writes them, growth past the buffer, fresh buffers per chunk. */
import { describe, expect, it } from 'vitest';
import { CsvChunkWriter } from './csv-chunk-writer';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('CsvChunkWriter', () => {
  it('writes integers exactly as String() does', () => {
    const values = [0, -0, 1, 9, 10, 99, 100, 12345, -7, -1000, 2 ** 31, 2 ** 53 - 1, -(2 ** 53 - 1), 1_791_412_800_000];
    for (let n = 1; n < 2 ** 53; n = n * 7 + 3) values.push(n, -n);
    const out = new CsvChunkWriter();
    for (const value of values) {
      out.integer(value);
      out.comma();
    }
    expect(text(out.take())).toBe(values.map((value) => `${String(value)},`).join(''));
  });

  it('grows past its buffer for a long line and reports full at the target', () => {
    const out = new CsvChunkWriter(16);
    expect(out.full).toBe(false);
    const long = 'x'.repeat(10_000);
    out.ascii(long);
    out.bytes(new TextEncoder().encode('李,'));
    out.newline();
    expect(out.full).toBe(true);
    expect(text(out.take())).toBe(`${long}李,\n`);
    expect(out.size).toBe(0);
  });

  it('hands out a fresh buffer each time, so a chunk still being sent is never overwritten', () => {
    const out = new CsvChunkWriter();
    out.ascii('first');
    const first = out.take();
    out.ascii('SECOND');
    out.take();
    expect(text(first)).toBe('first');
  });
});
