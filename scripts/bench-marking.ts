/**
 * `npx tsx scripts/bench-marking.ts [out]`: measures the marking grid's figures (click →
 * paint, click → other context, 250 x 12 initial load and scroll) by running the Playwright
 * measurement `tests/e2e/marking/figures.spec.ts` against a fresh stack + `next start`, and
 * writes the markdown to `out` (default specs/marking.md).
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const out = resolve(process.argv[2] ?? resolve(ROOT, 'specs/marking.md'));

const child = spawn(
  process.execPath,
  [resolve(ROOT, 'node_modules/@playwright/test/cli.js'), 'test', 'tests/e2e/marking/figures.spec.ts'],
  { cwd: ROOT, stdio: 'inherit', env: { ...process.env, MARKING_FIGURES_OUT: out } },
);
child.once('exit', (code) => {
  if (code === 0) process.stdout.write(`figures written to ${out}\n`);
  process.exit(code ?? 1);
});
