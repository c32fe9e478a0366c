/**
 * One command runs every non-browser test. Pure tests are `*.test.ts`; tests that need the
 * local stack are `*.pg.test.ts`, grouped in projects that each start one stack (through
 * the CLI, on free ports) with the migrations they need.
 */
import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

const root = import.meta.dirname;

function stackProject(name: string, timeoutMs = 30_000, options: { oneFileAtATime?: boolean } = {}) {
  return {
    resolve: { alias: { '@': root } },
    test: {
      name,
      include: [`tests/integration/${name}/**/*.pg.test.ts`],
      globalSetup: [resolve(root, `tests/integration/${name}/global-setup.ts`)],
      testTimeout: timeoutMs,
      hookTimeout: 120_000,
      ...(options.oneFileAtATime ? { fileParallelism: false } : {}),
    },
  };
}

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias: { '@': root } },
        test: {
          name: 'unit',
          include: ['**/*.test.ts'],
          exclude: ['**/*.pg.test.ts', 'node_modules/**', '.next/**', '.tmp/**', 'tests/e2e/**'],
        },
      },
      {
        resolve: { alias: { '@': root } },
        test: {
          // Start/stop tests run their own stacks.
          name: 'stack',
          include: ['tests/integration/stack/**/*.pg.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      stackProject('rest'),
      stackProject('auth'),
      stackProject('realtime', 120_000),
      stackProject('app', 60_000),
      stackProject('pipeline', 120_000),
      // Its files compare live with cached reports over the whole demo school while others add
      // pupils and marks to it: one file at a time, so no comparison sees another file's write.
      stackProject('export', 240_000, { oneFileAtATime: true }),
    ],
  },
});
