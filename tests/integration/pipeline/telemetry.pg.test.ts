/**
 * Telemetry of the pipeline's server pathways, in a child process configured from the
 * environment as the app is: with TELEM_ENABLED unset nothing is written; with it on,
 * one well-formed JSON line per call (name, start, duration, outcome, error code, row
 * count) and no secrets — the password, the user's access token and the project's keys
 * are searched for in the file.
 */
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { DEMO_PASSWORD, demoGroups, demoStaff } from '../../fixtures/school/demo-school';
import { readTelemetryLines, readTelemetryText } from '../../fixtures/pipeline/worker-process';

const run = promisify(execFile);
const stack = inject('stack');
const ROOT = resolve(import.meta.dirname, '../../..');
const CALLS = 5;
let db: pg.Client;
let target: { assignment_id: string; pupil_id: string; criterion_id: string };

beforeAll(async () => {
  db = new pg.Client({ connectionString: stack.dbUrl });
  await db.connect();
  const result = await db.query<typeof target>(
    `select a.id as assignment_id, gp.pupil_id, sc.id as criterion_id
       from public.assignments a
       join public.group_pupils gp on gp.group_id = a.group_id
       join public.success_criteria sc on sc.unit_id = a.unit_id
      where a.group_id = $1
      order by a.id, gp.pupil_id desc, sc.position limit 1`,
    [demoGroups.sc10a],
  );
  target = result.rows[0]!;
});
afterAll(() => db.end());

async function runCalls(telemetry: Record<string, string>): Promise<{ accessToken: string }> {
  const { stdout } = await run(
    process.execPath,
    [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'tests/fixtures/pipeline/telemetry-calls.ts')],
    {
      cwd: ROOT,
      env: {
        NODE_ENV: 'test',
        PATH: process.env.PATH ?? '',
        SUPABASE_URL: stack.apiUrl,
        SUPABASE_ANON_KEY: stack.anonKey,
        EMAIL: demoStaff.teacherA.email,
        PASSWORD: DEMO_PASSWORD,
        ASSIGNMENT_ID: target.assignment_id,
        PUPIL_ID: target.pupil_id,
        CRITERION_ID: target.criterion_id,
        CALLS: String(CALLS),
        ...telemetry,
      },
    },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as { accessToken: string };
}

describe('telemetry', () => {
  test('disabled: nothing is written', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'pipeline-telem-off-'));
    await runCalls({ TELEM_PATH: directory });
    expect(await readTelemetryLines(directory)).toEqual([]);
  });

  test('enabled: one well-formed line per call, with durations, and no secrets', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'pipeline-telem-on-'));
    const { accessToken } = await runCalls({ TELEM_ENABLED: '1', TELEM_PATH: directory });
    const lines = (await readTelemetryLines(directory)) as Array<Record<string, unknown>>;

    expect(lines.map((line) => [line.fn, line.outcome, line.errorCode])).toEqual([
      ...Array.from({ length: CALLS }, () => ['action.saveFeedback', 'ok', undefined]),
      ['action.saveFeedback', 'error', 'rating_out_of_range'],
      ['loader.pupilReport', 'ok', undefined],
    ]);
    for (const line of lines) {
      expect(Number.isNaN(Date.parse(String(line.ts)))).toBe(false);
      expect(line.durationMs).toEqual(expect.any(Number));
      expect(line.durationMs as number).toBeGreaterThanOrEqual(0);
    }
    expect(lines[0]!.params).toMatchObject({ pupilId: target.pupil_id, password: '[redacted]', accessToken: '[redacted]' });
    expect(lines.at(-1)).toMatchObject({ params: { pupilId: target.pupil_id, source: 'cache' }, rowCount: expect.any(Number) });

    const text = await readTelemetryText(directory);
    for (const secret of [DEMO_PASSWORD, accessToken, stack.anonKey, stack.serviceRoleKey, stack.jwtSecret]) {
      expect(text).not.toContain(secret);
    }
  });
});
