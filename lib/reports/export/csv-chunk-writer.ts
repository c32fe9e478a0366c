/**
 * Bytes of CSV text gathered into chunks for the response, without a string per line: fields
 * that repeat (a pupil's names, a unit's name) are encoded once per page and copied in, numbers
 * are written as ASCII digits straight into the chunk. Each chunk is a fresh buffer (the socket
 * may still hold the previous one), handed out once it reaches CHUNK_TARGET_BYTES.
 *
 * Why bytes: at 100,000 rows the per-line strings (a cons-string per `+`, then the flat copy
 * TextEncoder makes) were ~0.9 KB of garbage a row, and that allocation rate is what made V8 keep
 * the export's pages alive across young-generation collections and promote them into the old
 * generation, where they stayed resident until the next full GC (specs/reports/pages.md).
 */

/** ~64 KB per chunk: a few socket writes, and no big buffers held while the socket drains. */
export const CHUNK_TARGET_BYTES = 64 * 1024;

const COMMA = 0x2c;
const NEWLINE = 0x0a;
const ZERO = 0x30;
const MINUS = 0x2d;

export class CsvChunkWriter {
  private buffer: Buffer;
  private at = 0;

  constructor(private readonly targetBytes: number = CHUNK_TARGET_BYTES) {
    this.buffer = Buffer.allocUnsafeSlow(targetBytes + 4096);
  }

  /** True once the current chunk is big enough to hand out. */
  get full(): boolean {
    return this.at >= this.targetBytes;
  }

  get size(): number {
    return this.at;
  }

  private ensure(bytes: number): void {
    if (this.at + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(this.buffer.length * 2, this.at + bytes));
    this.buffer.copy(grown, 0, 0, this.at);
    this.buffer = grown;
  }

  bytes(value: Uint8Array): void {
    this.ensure(value.length);
    this.buffer.set(value, this.at);
    this.at += value.length;
  }

  /** A string of ASCII characters only (digits, ISO timestamps). */
  ascii(value: string): void {
    this.ensure(value.length);
    this.at += this.buffer.write(value, this.at, 'latin1');
  }

  /** A safe integer in decimal, as String(value) writes it, without making the string. */
  integer(value: number): void {
    this.ensure(17);
    if (value < 0) {
      this.buffer[this.at++] = MINUS;
      value = -value;
    }
    let digits = 1;
    for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits += 1;
    for (let i = digits - 1, rest = value; i >= 0; i -= 1, rest = Math.floor(rest / 10)) this.buffer[this.at + i] = ZERO + (rest % 10);
    this.at += digits;
  }

  comma(): void {
    this.ensure(1);
    this.buffer[this.at++] = COMMA;
  }

  newline(): void {
    this.ensure(1);
    this.buffer[this.at++] = NEWLINE;
  }

  /** The bytes written since the last take (a view of them), and a fresh buffer for the next. */
  take(): Uint8Array {
    const chunk = this.buffer.subarray(0, this.at);
    this.buffer = Buffer.allocUnsafeSlow(this.targetBytes + 4096);
    this.at = 0;
    return chunk;
  }
}
