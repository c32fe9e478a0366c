/**
 * `npm run seed:large` as users run it (a child process against a fresh stack with the
 * product migrations and demo seed), at the smallest size it accepts: the school's shape,
 * progress on stderr, a cache that equals the on-demand calculation once it finishes, and a
 * second run with the same seed refused without writing anything.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachedReport, onDemandReport } from '../../fixtures/school/report-cache-queries';
import { PROJECT_ROOT, makeTempDataDir, removeDataDir, startStackProcess, type StackProcess } from '../../support/stack-process';

const PUPILS = 40; // the minimum: one per group
const SEED = 7;

let stack: StackProcess;
let client: pg.Client;

beforeAll(async () => {
  stack = await startStackProcess({ dataDir: await makeTempDataDir('seed-large') });
  client = new pg.Client({ connectionString: stack.info.dbUrl });
  await client.connect();
}, 60_000);
afterAll(async () => {
  await client?.end();
  await stack?.stop();
  if (stack) await removeDataDir(stack.dataDir);
});

async function runSeedLarge(): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(PROJECT_ROOT, 'scripts/seed-large.ts'), `--pupils=${PUPILS}`, `--seed=${SEED}`, `--db-url=${stack.info.dbUrl}`],
    { cwd: PROJECT_ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolveExit) => child.once('exit', resolveExit));
  return { code, stderr };
}

const count = async (sql: string, params: unknown[] = []) => (await client.query<{ n: number }>(sql, params)).rows[0]!.n;

describe('seed:large', () => {
  it('adds the school, marks 39 in 40 cells, and backfills a cache equal to the on-demand calculation', async () => {
    const pupilsBefore = await count('select count(*)::int as n from public.pupils');
    const { code, stderr } = await runSeedLarge();
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/feedback\s+\d+ rows, \d+ rows\/s/);
    expect(stderr).toMatch(/backfill\s+\d+ pupils in [\d.]+ s, \d+ pupils\/s/);

    const largePupils = `select id from public.pupils where last_name like 'Large-${SEED}-%'`;
    expect(await count('select count(*)::int as n from public.pupils') - pupilsBefore).toBe(PUPILS);
    expect(await count(`select count(*)::int as n from public.groups where name like 'L${SEED}-%'`)).toBe(40);
    expect(await count(`select count(distinct group_id)::int as n from public.group_pupils where pupil_id in (${largePupils})`)).toBe(40);
    // 40 pupils × 4 groups × 12 units × 3 assignments × 6 criteria cells; 1 in 40 left unmarked.
    const cells = PUPILS * 4 * 12 * 3 * 6;
    const marked = await count(`select count(*)::int as n from public.feedback where pupil_id in (${largePupils})`);
    expect(marked).toBeGreaterThan(cells * 0.95);
    expect(marked).toBeLessThan(cells);

    // Every pupil with rated feedback (demo and large) has a cached summary, and sampled
    // pupils' cached rows equal the calculation.
    expect(await count('select count(*)::int as n from public.report_pupil_summary')).toBe(
      await count('select count(distinct pupil_id)::int as n from public.feedback where rating is not null'),
    );
    const sample = (await client.query<{ id: string }>(`${largePupils} order by id limit 5`)).rows;
    for (const { id } of sample) expect(await cachedReport(client, id)).toEqual(await onDemandReport(client, id));
  }, 120_000);

  it('refuses a second run with the same seed and writes nothing', async () => {
    const feedbackBefore = await count('select count(*)::int as n from public.feedback');
    const { code, stderr } = await runSeedLarge();
    expect(code).not.toBe(0);
    expect(stderr).toContain(`a large school with seed ${SEED} is already loaded`);
    expect(await count('select count(*)::int as n from public.feedback')).toBe(feedbackBefore);
  }, 60_000);
});
