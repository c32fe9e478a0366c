/**
 * Buffered JSON-lines sink: callers append in memory and return at once; a timer flushes
 * to `TELEM_PATH/telem_<TIMESTAMP>.log` (one file per process start). A failed write is
 * reported once and dropped, never thrown into a request.
 */
import { appendFileSync } from 'node:fs';
import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';

// Flush at most this often, in ms: cheap for hot paths, fresh enough to tail.
const FLUSH_INTERVAL_MS = 250;
// Flush early once this many lines are waiting, to bound memory under bursts.
const FLUSH_AT_LINES = 500;

export type TelemetrySink = { write(record: object): void; flush(): Promise<void>; readonly filePath: string };

export type SinkIo = {
  appendFile(path: string, text: string): Promise<void>;
  appendFileSync(path: string, text: string): void;
  mkdir(path: string): Promise<void>;
  reportFailure(message: string): void;
};

const nodeIo: SinkIo = {
  appendFile: (path, text) => appendFile(path, text, 'utf8'),
  appendFileSync: (path, text) => appendFileSync(path, text, 'utf8'),
  mkdir: async (path) => {
    await mkdir(path, { recursive: true });
  },
  reportFailure: (message) => process.stderr.write(`telemetry: ${message}\n`),
};

export function telemetryFileName(startedAt: Date): string {
  return `telem_${startedAt.toISOString().replaceAll(':', '-').replace('.', '-')}_${process.pid}.log`;
}

export function createTelemetrySink(directory: string, startedAt = new Date(), io: SinkIo = nodeIo): TelemetrySink {
  const filePath = join(directory, telemetryFileName(startedAt));
  let pending: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  let failureReported = false;
  let ready: Promise<void> | undefined;
  let flushing: Promise<void> = Promise.resolve();

  const reportOnce = (error: unknown) => {
    if (failureReported) return;
    failureReported = true;
    io.reportFailure(`cannot write ${filePath} (${error instanceof Error ? error.message : String(error)}); telemetry lines are being dropped`);
  };

  const flush = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0) return flushing;
    const text = pending.join('');
    pending = [];
    ready ??= io.mkdir(directory);
    flushing = flushing.then(() => ready!).then(() => io.appendFile(filePath, text)).catch(reportOnce);
    return flushing;
  };

  // Lines still buffered when the process exits are written synchronously.
  process.once('exit', () => {
    if (pending.length === 0) return;
    try {
      io.appendFileSync(filePath, pending.join(''));
    } catch (error) {
      reportOnce(error);
    }
  });

  return {
    filePath,
    write(record) {
      pending.push(`${JSON.stringify(record)}\n`);
      if (pending.length >= FLUSH_AT_LINES) void flush();
      else timer ??= setTimeout(() => void flush(), FLUSH_INTERVAL_MS).unref();
    },
    flush,
  };
}
