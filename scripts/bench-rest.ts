/**
 * REST server benchmark: starts its own stack (product migrations + demo seed) in a
 * throwaway data folder and measures, through supabase-js against the gateway and, for
 * comparison, the same SQL over a direct pg connection:
 *   (a) a tiny select: `groups` (4 rows) as a signed-in admin (JWT minted with the stack's
 *       secret, sub = a seeded staff id), RLS applied;
 *   (b) a tiny rpc: `working_level_bands()` (4 rows), same user;
 *   (c) a 5,000-row select (an export-shaped throwaway table the bench creates), service role;
 *   (d) a 30-pupil-sized report read: `reports_group_units` for a seeded group, same user;
 * plus two floors: the gateway's /health by plain fetch (HTTP alone), and (a) by plain
 * fetch (no supabase-js).
 * Each case is also timed over pg with its rows aggregated into a JSON body by json_agg, as the
 * REST statement builds it, which separates Postgres's JSON building from the gateway's own cost.
 * Samples of each kind are interleaved so all see the same machine load.
 * Writes its section of specs/rest.md between the markers for the label given
 * (`--label before` or `--label after`, default `latest`).
 *
 * Speed figures only: nothing here asserts a timing (STYLE: benches, not tests).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createClient } from '@supabase/supabase-js';
import { SignJWT } from 'jose';
import pg from 'pg';
import type { Database } from '../lib/supabase/database.types';
import { PROJECT_ROOT, makeTempDataDir, removeDataDir, startStackProcess } from '../tests/support/stack-process';
import { summarise, type Summary } from './bench-support/percentiles';

const TINY_WARMUP = 30; // first calls compile plans and warm the pools
const TINY_SAMPLES = 400;
const BIG_WARMUP = 3;
const BIG_SAMPLES = 40;
const BIG_ROWS = 5_000; // one export page in the brief's measurement
const SPEC_PATH = join(PROJECT_ROOT, 'specs/rest.md');
// The JWT the bench signs lives one hour, like a GoTrue access token.
const TOKEN_LIFETIME_S = 3600;

const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} ms`;
const loadNow = () => loadavg()[0]!.toFixed(1);

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

/** `json`: the same rows aggregated into the body text as the REST statement does it (json_agg in Postgres). */
type Case = { name: string; rest: () => Promise<unknown>; sql: () => Promise<unknown>; json?: () => Promise<unknown> };
type CaseFigures = { rest: Summary; sql: Summary; json: Summary | undefined };

// The body the REST statement builds: Postgres's json_agg over the rows, sent as text.
const asJsonBody = (rowsSql: string) => `select count(*) as page_total, coalesce(json_agg(_t), '[]'::json)::text as body from (${rowsSql}) as _t`;

async function measure(cases: Case[], warmup: number, samples: number): Promise<Map<string, CaseFigures>> {
  for (let i = 0; i < warmup; i++) for (const c of cases) await Promise.all([c.rest(), c.sql(), c.json?.()]);
  const rest = new Map<string, number[]>(cases.map((c) => [c.name, []]));
  const sql = new Map<string, number[]>(cases.map((c) => [c.name, []]));
  const json = new Map<string, number[]>(cases.map((c) => [c.name, []]));
  for (let i = 0; i < samples; i++) {
    for (const c of cases) {
      rest.get(c.name)!.push(await timed(c.rest));
      sql.get(c.name)!.push(await timed(c.sql));
      if (c.json) json.get(c.name)!.push(await timed(c.json));
    }
  }
  return new Map(
    cases.map((c) => [c.name, { rest: summarise(rest.get(c.name)!), sql: summarise(sql.get(c.name)!), json: c.json ? summarise(json.get(c.name)!) : undefined }]),
  );
}

function check<T>(result: { data: T | null; error: unknown }): T {
  if (result.error) throw new Error(`rest error: ${JSON.stringify(result.error)}`);
  return result.data as T;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { label: { type: 'string', default: 'latest' } } });
  const label = values.label!;
  const dataDir = await makeTempDataDir('bench-rest');
  const stack = await startStackProcess({ dataDir, fresh: true });
  const db = new pg.Client({ connectionString: stack.info.dbUrl });
  await db.connect();
  try {
    const staff = await db.query<{ id: string }>(`select id from public.staff where role = 'admin' order by id limit 1`);
    const staffId = staff.rows[0]!.id;
    const group = await db.query<{ id: string }>(`select id from public.groups order by id limit 1`);
    const groupId = group.rows[0]!.id;
    await db.query(`create table public.bench_rest_rows (
      id int4 primary key, group_id uuid not null, group_name text not null, pupil_id uuid not null,
      last_name text not null, first_name text not null, unit_id uuid, unit_name text,
      assignments_counted int4, criteria_rated int4, average_rating numeric(4, 2), working_level text,
      last_feedback_at timestamptz, source_version bigint)`);
    await db.query(`insert into public.bench_rest_rows
      select i, gen_random_uuid(), 'Group ' || (i % 40), gen_random_uuid(), 'Last' || i, 'First' || i,
        gen_random_uuid(), 'Unit ' || (i % 36), i % 4, i % 12, round((i % 300) / 100.0, 2), 'secure',
        now() - i * interval '1 minute', i
      from generate_series(1, ${BIG_ROWS}) i`);
    await db.query('analyze public.bench_rest_rows');

    const token = await new SignJWT({ sub: staffId, role: 'authenticated', aud: 'authenticated' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + TOKEN_LIFETIME_S)
      .sign(new TextEncoder().encode(stack.info.jwtSecret));
    const clientOptions = { auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false } };
    const teacher = createClient<Database>(stack.info.apiUrl, stack.info.anonKey, {
      ...clientOptions,
      global: { headers: { Authorization: `Bearer ${token}` } },
    });
    const service = createClient<Database>(stack.info.apiUrl, stack.info.serviceRoleKey, clientOptions);
    // The bench table is not in the generated types: an untyped client for it only.
    const serviceUntyped = createClient(stack.info.apiUrl, stack.info.serviceRoleKey, clientOptions);

    // Direct connection running the same SQL as the same role with the same claims (RLS on).
    const asTeacher = new pg.Client({ connectionString: stack.info.dbUrl });
    await asTeacher.connect();
    await asTeacher.query(`select set_config('request.jwt.claims', $1, false)`, [JSON.stringify({ sub: staffId, role: 'authenticated' })]);
    await asTeacher.query('set role authenticated');
    const asService = new pg.Client({ connectionString: stack.info.dbUrl });
    await asService.connect();
    await asService.query('set role service_role');

    const groupColumns = 'id, name, subject, year_group, department_id';
    const bigColumns =
      'id, group_id, group_name, pupil_id, last_name, first_name, unit_id, unit_name, assignments_counted, criteria_rated, average_rating, working_level, last_feedback_at, source_version';
    if (check(await teacher.from('groups').select(groupColumns)).length !== 4) throw new Error('expected the admin to read 4 groups');
    void service;

    const tinyLoad = loadNow();
    const restUrl = `${stack.info.apiUrl}/rest/v1`;
    const teacherHeaders = { apikey: stack.info.anonKey, Authorization: `Bearer ${token}`, Accept: 'application/json' };
    const tiny = await measure(
      [
        {
          name: 'floor: fetch GET /health (no database) vs `select 1`',
          rest: async () => (await fetch(`${stack.info.apiUrl}/health`)).text(),
          sql: () => asTeacher.query('select 1'),
        },
        {
          name: 'select groups (4 rows), plain fetch + JSON.parse',
          rest: async () => JSON.parse(await (await fetch(`${restUrl}/groups?select=${groupColumns.replaceAll(' ', '')}`, { headers: teacherHeaders })).text()),
          sql: () => asTeacher.query(`select ${groupColumns} from public.groups`),
        },
        {
          name: 'select groups (4 rows)',
          rest: async () => check(await teacher.from('groups').select(groupColumns)),
          sql: () => asTeacher.query(`select ${groupColumns} from public.groups`),
          json: () => asTeacher.query(asJsonBody(`select ${groupColumns} from public.groups`)),
        },
        {
          name: 'rpc working_level_bands (4 rows)',
          rest: async () => check(await teacher.rpc('working_level_bands')),
          sql: () => asTeacher.query('select * from public.working_level_bands()'),
          json: () => asTeacher.query(asJsonBody('select * from public.working_level_bands()')),
        },
        {
          name: 'rpc reports_group_units (one group)',
          rest: async () => check(await teacher.rpc('reports_group_units', { p_group_id: groupId })),
          sql: () => asTeacher.query('select * from public.reports_group_units($1)', [groupId]),
          json: () => asTeacher.query(asJsonBody('select * from public.reports_group_units($1)'), [groupId]),
        },
      ],
      TINY_WARMUP,
      TINY_SAMPLES,
    );
    const bigLoad = loadNow();
    const big = await measure(
      [
        {
          name: `select ${BIG_ROWS.toLocaleString('en-GB')} rows (service role)`,
          rest: async () => {
            const rows = check(await serviceUntyped.from('bench_rest_rows').select(bigColumns).order('id').range(0, BIG_ROWS - 1));
            if (rows.length !== BIG_ROWS) throw new Error(`expected ${BIG_ROWS} rows, got ${rows.length}`);
          },
          sql: () => asService.query(`select ${bigColumns} from public.bench_rest_rows order by id limit ${BIG_ROWS}`),
          json: () => asService.query(asJsonBody(`select ${bigColumns} from public.bench_rest_rows order by id limit ${BIG_ROWS}`)),
        },
      ],
      BIG_WARMUP,
      BIG_SAMPLES,
    );
    await asTeacher.end();
    await asService.end();

    const rows = [...tiny.entries(), ...big.entries()].map(([name, { rest, sql, json }]) => {
      const perSecond = name.includes('5,000') ? ` (${Math.round((BIG_ROWS / rest.p50) * 1000).toLocaleString('en-GB')} rows/s)` : '';
      const jsonCells = json ? `${ms(json.p50)} / ${ms(json.p95)} | ${ms(rest.p50 - json.p50)}` : '— | —';
      return `| ${name} | ${ms(rest.p50)} / ${ms(rest.p95)}${perSecond} | ${ms(sql.p50)} / ${ms(sql.p95)} | ${ms(rest.p50 - sql.p50)} | ${jsonCells} |`;
    });
    const section = [
      `<!-- rest-bench:${label}:start -->`,
      `### ${label} (${new Date().toISOString().slice(0, 16)}Z; load average ${tinyLoad} / ${bigLoad} at the tiny / big phases)`,
      '',
      `${TINY_SAMPLES} samples per tiny case, ${BIG_SAMPLES} per big case, interleaved.`,
      '',
      '| call | supabase-js p50 / p95 | same SQL, direct pg p50 / p95 | REST overhead (p50) | rows as a json_agg body, direct pg p50 / p95 | overhead over that (p50) |',
      '|---|---|---|---|---|---|',
      ...rows,
      `<!-- rest-bench:${label}:end -->`,
    ].join('\n');
    console.log(section);
    await writeSection(label, section);
  } finally {
    await db.end();
    await stack.stop();
    await removeDataDir(dataDir);
  }
}

async function writeSection(label: string, section: string): Promise<void> {
  const start = `<!-- rest-bench:${label}:start -->`;
  const end = `<!-- rest-bench:${label}:end -->`;
  let text: string;
  try {
    text = await readFile(SPEC_PATH, 'utf8');
  } catch {
    text = '# REST server: measurements\n';
  }
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  text = from >= 0 && to > from ? text.slice(0, from) + section + text.slice(to + end.length) : `${text.trimEnd()}\n\n${section}\n`;
  await writeFile(SPEC_PATH, text);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench-rest failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
