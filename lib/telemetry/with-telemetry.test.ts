import { describe, expect, it } from 'vitest';
import { REDACTED, redactParams } from './redact-params';
import { telemetryConfigFromEnv } from './telemetry-config';
import type { TelemetrySink } from './telemetry-sink';
import { createTelemetry, type TelemetryRecord } from './with-telemetry';

function memorySink(): TelemetrySink & { records: TelemetryRecord[] } {
  const records: TelemetryRecord[] = [];
  return { records, filePath: 'memory', write: (record) => records.push(record as TelemetryRecord), flush: async () => {} };
}

const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.c2lnbmF0dXJl';

describe('withTelemetry', () => {
  it('returns the function itself when disabled, so it costs nothing', () => {
    const fn = async (x: number) => x * 2;
    const telemetry = createTelemetry({ enabled: false, directory: 'unused' });
    expect(telemetry.wrap('double', fn)).toBe(fn);
  });

  it('is disabled unless TELEM_ENABLED says so', () => {
    expect(telemetryConfigFromEnv({}).enabled).toBe(false);
    expect(telemetryConfigFromEnv({ TELEM_ENABLED: 'false' }).enabled).toBe(false);
    expect(telemetryConfigFromEnv({ TELEM_ENABLED: 'true', TELEM_PATH: '/tmp/t' })).toEqual({ enabled: true, directory: '/tmp/t' });
    expect(telemetryConfigFromEnv({ TELEM_ENABLED: '1' }).directory).toBe('logs');
  });

  it('records name, redacted params, duration, outcome and row count for a successful call', async () => {
    const sink = memorySink();
    const telemetry = createTelemetry({ enabled: true, directory: 'unused' }, sink);
    const load = telemetry.wrap('loadGroups', async (params: { groupId: string; password: string; token: string }) => ({
      ok: true as const,
      data: [params.groupId, 'b', 'c'],
    }));
    await load({ groupId: 'g1', password: 'hunter2', token: jwt });
    expect(sink.records).toHaveLength(1);
    const [record] = sink.records;
    expect(record).toMatchObject({ fn: 'loadGroups', outcome: 'ok', rowCount: 3, params: { groupId: 'g1', password: REDACTED, token: REDACTED } });
    expect(record!.durationMs).toBeGreaterThanOrEqual(0);
    expect(Number.isNaN(Date.parse(record!.ts))).toBe(false);
    expect(JSON.stringify(record)).not.toContain('hunter2');
  });

  it('records failures, thrown or returned as ActionResult, with their code, and rethrows', async () => {
    const sink = memorySink();
    const telemetry = createTelemetry({ enabled: true, directory: 'unused' }, sink);
    const refused = telemetry.wrap('save', async () => ({ ok: false as const, code: 'not_authorized', message: 'no' }));
    expect(await refused()).toMatchObject({ ok: false });
    const throwing = telemetry.wrap('boom', async () => {
      throw Object.assign(new Error('down'), { code: 'unavailable' });
    });
    await expect(throwing()).rejects.toThrow('down');
    expect(sink.records.map((r) => [r.fn, r.outcome, r.errorCode])).toEqual([
      ['save', 'error', 'not_authorized'],
      ['boom', 'error', 'unavailable'],
    ]);
  });
});

describe('redactParams', () => {
  it('hides JWT-shaped strings anywhere and secret-named keys at any depth', () => {
    expect(redactParams({ nested: { apikey: 'k', list: [jwt, 'plain'] }, Authorization: 'Bearer x' })).toEqual({
      nested: { apikey: REDACTED, list: [REDACTED, 'plain'] },
      Authorization: REDACTED,
    });
  });
});
