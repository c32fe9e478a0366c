import { describe, expect, it } from 'vitest';
import { createTelemetrySink, telemetryFileName, type SinkIo } from './telemetry-sink';

function memoryIo(failWrites = false): SinkIo & { files: Map<string, string>; failures: string[] } {
  const files = new Map<string, string>();
  const failures: string[] = [];
  return {
    files,
    failures,
    mkdir: async () => {},
    appendFile: async (path, text) => {
      if (failWrites) throw new Error('disk full');
      files.set(path, (files.get(path) ?? '') + text);
    },
    appendFileSync: (path, text) => files.set(path, (files.get(path) ?? '') + text),
    reportFailure: (message) => failures.push(message),
  };
}

describe('telemetry sink', () => {
  it('names one file per process start and writes JSON lines on flush', async () => {
    const startedAt = new Date('2026-11-22T10:11:12.345Z');
    expect(telemetryFileName(startedAt)).toBe(`telem_2026-11-22T10-11-12-345Z_${process.pid}.log`);
    const io = memoryIo();
    const sink = createTelemetrySink('/logs', startedAt, io);
    sink.write({ fn: 'a' });
    sink.write({ fn: 'b' });
    expect(io.files.size).toBe(0); // buffered, not written inside the caller's request
    await sink.flush();
    const lines = io.files.get(sink.filePath)!.trimEnd().split('\n').map((line) => JSON.parse(line) as { fn: string });
    expect(lines.map((line) => line.fn)).toEqual(['a', 'b']);
  });

  it('reports a failing write once and keeps accepting records', async () => {
    const io = memoryIo(true);
    const sink = createTelemetrySink('/logs', new Date(), io);
    sink.write({ fn: 'a' });
    await sink.flush();
    sink.write({ fn: 'b' });
    await sink.flush();
    expect(io.failures).toHaveLength(1);
    expect(io.failures[0]).toContain('disk full');
  });
});
