/** The app server's memory environment: ours first, a caller's own settings kept. */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { nextServerMemoryEnv, nextServerNodeOptions } from './next-server-options';

describe('nextServerMemoryEnv', () => {
  it('caps the young generation, the heap, V8\'s helper threads and glibc arenas when nothing is set', () => {
    expect(nextServerMemoryEnv({})).toEqual({ NODE_OPTIONS: '--max-semi-space-size=4 --max-old-space-size=384 --v8-pool-size=1', MALLOC_ARENA_MAX: '2' });
  });

  it('puts a NODE_OPTIONS set by hand after ours, so it wins, and keeps a MALLOC_ARENA_MAX set by hand', () => {
    const env = nextServerMemoryEnv({ NODE_OPTIONS: ' --max-old-space-size=1024 ', MALLOC_ARENA_MAX: '4' });
    expect(env.NODE_OPTIONS).toBe('--max-semi-space-size=4 --max-old-space-size=384 --v8-pool-size=1 --max-old-space-size=1024');
    expect(env.MALLOC_ARENA_MAX).toBe('4');
  });

  it('treats an empty NODE_OPTIONS as none', () => {
    expect(nextServerNodeOptions('')).toBe('--max-semi-space-size=4 --max-old-space-size=384 --v8-pool-size=1');
  });
});

describe('NEXT_SERVER_NODE_OPTIONS', () => {
  // Node accepts only some V8 flags in NODE_OPTIONS, and an unknown or refused one stops `npm start`.
  it('are accepted by this Node in NODE_OPTIONS', () => {
    const run = spawnSync(process.execPath, ['-e', 'process.exit(0)'], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: nextServerNodeOptions('') } });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
