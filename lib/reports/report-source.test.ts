import { describe, expect, it } from 'vitest';
import { reportsSourceFromEnv } from './report-source';

describe('reportsSourceFromEnv', () => {
  it('defaults to the cache, accepts live for rollback, refuses anything else', () => {
    expect(reportsSourceFromEnv({})).toBe('cache');
    expect(reportsSourceFromEnv({ REPORTS_SOURCE: '' })).toBe('cache');
    expect(reportsSourceFromEnv({ REPORTS_SOURCE: 'live' })).toBe('live');
    expect(reportsSourceFromEnv({ REPORTS_SOURCE: ' Cache ' })).toBe('cache');
    expect(() => reportsSourceFromEnv({ REPORTS_SOURCE: 'redis' })).toThrow(/cache" or "live/);
  });
});
