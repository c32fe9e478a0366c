/**
 * `npm run bench:reports-pages`: figures for the live report pages and the CSV export,
 * measured on the REAL server — this worktree's `next build`, run with `next start`
 * exactly as `npm start` runs it — against a running local stack (SUPABASE_URL,
 * SUPABASE_ANON_KEY; BENCH_DB_URL, its database, to load and find the fixtures).
 *
 *   - Export: the generated cohort of tests/integration/export/generated-cohort.ts (one
 *     group, 10,000 pupils × 10 units = 100,000 cached rows, awkward names; loaded if
 *     missing) as admin@markbook.test, GET /reports/groups/<id>/export on a fresh server,
 *     BENCH_EXPORT_RUNS times (the first is cold). The server process's VmRSS
 *     (/proc/<pid>/status) is sampled every 50 ms before, during and after; rows/s is rows
 *     over the time from the request to the last byte.
 *   - Pages: GET /reports/groups/<id> and /reports/<pupilId> of the LARGE seed
 *     (scripts/seed-large.ts --pupils=1200 --seed=42; its first group and that group's first
 *     pupil, as the group's own teacher) against two servers over the same stack, one with
 *     the default REPORTS_SOURCE (cache) and one with REPORTS_SOURCE=live, interleaved in one
 *     run (the order rotates every iteration), p50/p95 of the time to the last byte. A second
 *     phase of as many iterations times the page snapshot loaders called straight from here
 *     (supabase-js, no Next), to separate the RPCs from Next's render and proxy.
 * Sign-in goes through the app's login form (scripts/bench-pages/form-sign-in.ts). Every
 * phase records the 1-minute load average (the machine is shared). The figures are written
 * between markers in specs/reports/pages.md and a summary in specs/reports/cache.md
 * (BENCH_WRITE=0: print only). Without SUPABASE_URL / SUPABASE_ANON_KEY / BENCH_DB_URL it
 * starts its own stack and loads the large seed (as `npm run bench` runs it).
 * Figures, not assertions.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { createClient } from '@supabase/supabase-js';
import { loadReportSnapshot } from '@/lib/reports/report-snapshot';
import type { Database } from '@/lib/supabase/database.types';
import { makeGeneratedCohort } from '../tests/integration/export/generated-cohort';
import { makeTempDataDir, removeDataDir, startStackProcess } from '../tests/support/stack-process';
import { runSeedLarge } from './bench-support/run-seed-large';
import { sampleRss, startAppServer, vmRssBytes, type AppServer, type StackEnv } from './bench-pages/app-server';
import { signInThroughForm } from './bench-pages/form-sign-in';
import { timeExport, timePage, type ExportTiming } from './bench-pages/http-timing';
import { buildAppIfStale } from './start/build-app-if-stale';
import { NEXT_SERVER_MALLOC_ARENA_MAX, nextServerNodeOptions } from './start/next-server-options';
import { percentile } from './bench-support/percentiles';

const ROOT = resolve(import.meta.dirname, '..');
// p95 of 40 samples is the second-worst request, so one stray pause moved it by 20 ms between
// runs; of 100 it is the fifth-worst. (Before session 4 the runs took 40.)
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 100);
const WARMUP = 3;
const EXPORT_RUNS = Number(process.env.BENCH_EXPORT_RUNS ?? 5);
/** npm start's heap settings unless BENCH_NODE_OPTIONS says otherwise (e.g. '' for Node's defaults). */
const NODE_OPTIONS = process.env.BENCH_NODE_OPTIONS ?? nextServerNodeOptions('');
/** npm start's glibc arena cap unless BENCH_MALLOC_ARENA_MAX says otherwise ('' for glibc's default). */
const MALLOC_ARENA_MAX = process.env.BENCH_MALLOC_ARENA_MAX ?? NEXT_SERVER_MALLOC_ARENA_MAX;
const MEMORY_ENV: Record<string, string> = MALLOC_ARENA_MAX ? { MALLOC_ARENA_MAX } : {};
const MEMORY_SETTINGS = `NODE_OPTIONS \`${NODE_OPTIONS || 'none'}\`, MALLOC_ARENA_MAX \`${MALLOC_ARENA_MAX || 'unset'}\``;
const RSS_SAMPLE_MS = 50;
const PASSWORD = process.env.BENCH_PASSWORD ?? 'markbook-demo';
const COHORT = { pupils: 10_000, units: 10, groupId: 'f0000000-0000-4000-8000-000000000002' };
const LARGE_SEED = 42;

/** MiB with one decimal: the RSS target sits at the edge of what is measured, so no rounding to whole MB. */
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const ms = (value: number) => `${value.toFixed(1)} ms`;
const load = () => loadavg()[0]!.toFixed(2);

/** The generated export cohort, loaded once into the stack's database. */
async function ensureCohort(db: pg.Client): Promise<void> {
  const { rows } = await db.query<{ n: string }>(
    'select count(*) as n from public.report_pupil_unit_summaries where $1::uuid = any (group_ids)',
    [COHORT.groupId],
  );
  const present = Number(rows[0]!.n);
  if (present === COHORT.pupils * COHORT.units) return;
  if (present > 0) throw new Error(`the generated export group holds ${present} rows, not ${COHORT.pupils * COHORT.units}`);
  process.stderr.write('loading the generated export cohort (100,000 cached rows)…\n');
  await makeGeneratedCohort(db, COHORT.pupils, COHORT.units);
}

/** Large seed group 1, its first pupil (by id) and its teacher's login. */
async function largeSeedFixture(db: pg.Client) {
  const { rows } = await db.query<{ group_id: string; pupil_id: string; pupils: string; unit_rows: string }>(
    `select g.id as group_id, min(gp.pupil_id::text) as pupil_id, count(*) as pupils,
       (select count(*) from public.report_pupil_unit_summaries r where g.id = any (r.group_ids)) as unit_rows
     from public.groups g join public.group_pupils gp on gp.group_id = g.id
     where g.name = $1 group by g.id`,
    [`L${LARGE_SEED}-1`],
  );
  const row = rows[0];
  if (!row) throw new Error(`no large seed: run scripts/seed-large.ts --pupils=1200 --seed=${LARGE_SEED} --db-url=… first`);
  return {
    groupId: row.group_id,
    pupilId: row.pupil_id,
    pupils: Number(row.pupils),
    unitRows: Number(row.unit_rows),
    email: process.env.BENCH_EMAIL ?? `teacher.01.s${LARGE_SEED}@large.markbook.test`,
  };
}

type ExportRun = ExportTiming & { loadBefore: string; loadAfter: string; rssBefore: number; rssPeak: number; rssAfter: number };

async function measureExports(server: AppServer): Promise<{ idleRss: number; signedInRss: number; runs: ExportRun[] }> {
  const idleRss = (await vmRssBytes(server.pid)) ?? 0;
  const cookie = await signInThroughForm(server.baseUrl, 'admin@markbook.test', PASSWORD);
  const signedInRss = (await vmRssBytes(server.pid)) ?? 0;
  const runs: ExportRun[] = [];
  for (let run = 0; run < EXPORT_RUNS; run += 1) {
    const loadBefore = load();
    const rssBefore = (await vmRssBytes(server.pid)) ?? 0;
    const sampler = sampleRss(server.pid, RSS_SAMPLE_MS);
    const timing = await timeExport(`${server.baseUrl}/reports/groups/${COHORT.groupId}/export`, cookie);
    // A last look after the body ends: the response's final writes happen just before.
    await new Promise((done) => setTimeout(done, 2 * RSS_SAMPLE_MS));
    const rss = await sampler.stop();
    if (timing.status !== 200 || !timing.complete) throw new Error(`export run ${run + 1}: HTTP ${timing.status}, complete ${timing.complete}`);
    runs.push({ ...timing, loadBefore, loadAfter: load(), rssBefore, rssPeak: rss.peak, rssAfter: rss.last });
    process.stderr.write(`export ${run + 1}: ${timing.rows} rows in ${timing.seconds.toFixed(2)} s, peak RSS ${mb(rss.peak)}\n`);
  }
  return { idleRss, signedInRss, runs };
}

type Case = { name: string; run: () => Promise<number> };

async function measurePages(cache: AppServer, live: AppServer, fixture: Awaited<ReturnType<typeof largeSeedFixture>>, stack: StackEnv) {
  const cookie = await signInThroughForm(cache.baseUrl, fixture.email, PASSWORD);
  const client = createClient<Database>(stack.SUPABASE_URL, stack.SUPABASE_ANON_KEY, { auth: { persistSession: false, autoRefreshToken: false } });
  const { error } = await client.auth.signInWithPassword({ email: fixture.email, password: PASSWORD });
  if (error) throw new Error(`cannot sign in as ${fixture.email}`);
  const page = (server: AppServer, path: string) => async () => {
    const timing = await timePage(`${server.baseUrl}${path}`, cookie);
    if (timing.status !== 200) throw new Error(`${server.name} ${path}: HTTP ${timing.status}`);
    return timing.totalMs;
  };
  const loader = (scope: Parameters<typeof loadReportSnapshot>[1], source: 'cache' | 'live') => async () => {
    const started = performance.now();
    if (!(await loadReportSnapshot(client, scope, source))) throw new Error(`loader ${scope.kind} ${source}: not visible`);
    return performance.now() - started;
  };
  const group = `/reports/groups/${fixture.groupId}`;
  const pupil = `/reports/${fixture.pupilId}`;
  const pageCases: Case[] = [
    { name: 'group page, cached', run: page(cache, group) },
    { name: 'group page, live', run: page(live, group) },
    { name: 'pupil page, cached', run: page(cache, pupil) },
    { name: 'pupil page, live', run: page(live, pupil) },
  ];
  const loaderCases: Case[] = [
    { name: 'group loaders only, cached', run: loader({ kind: 'group', groupId: fixture.groupId }, 'cache') },
    { name: 'group loaders only, live', run: loader({ kind: 'group', groupId: fixture.groupId }, 'live') },
    { name: 'pupil loaders only, cached', run: loader({ kind: 'pupil', pupilId: fixture.pupilId }, 'cache') },
    { name: 'pupil loaders only, live', run: loader({ kind: 'pupil', pupilId: fixture.pupilId }, 'live') },
  ];
  const timings = new Map([...pageCases, ...loaderCases].map((c) => [c.name, [] as number[]]));
  const loadBefore = load();
  // The loaders run in this process: in a phase of their own, so their parsing and garbage
  // collection (on the same two cores) do not land inside a page's timing.
  for (const cases of [pageCases, loaderCases]) {
    for (let i = 0; i < WARMUP; i += 1) for (const c of cases) await c.run();
    for (let i = 0; i < ITERATIONS; i += 1) {
      // Rotate the order so no case always follows the same neighbour.
      for (let k = 0; k < cases.length; k += 1) {
        const c = cases[(i + k) % cases.length]!;
        timings.get(c.name)!.push(await c.run());
      }
    }
  }
  return { timings, loadBefore, loadAfter: load() };
}

function pagesSection(
  when: string,
  fixture: Awaited<ReturnType<typeof largeSeedFixture>>,
  exports: Awaited<ReturnType<typeof measureExports>>,
  pages: Awaited<ReturnType<typeof measurePages>>,
): string {
  const p = (name: string, q: number) => percentile(pages.timings.get(name)!, q);
  const lines = [
    '<!-- bench:start -->',
    `## Measured ${when} (\`scripts/bench-reports-pages.ts\`, real \`next start\`)`,
    '',
    `Both servers ran with ${MEMORY_SETTINGS}.`,
    '',
    `### Export: generated cohort, 100,000 rows, admin, GET /reports/groups/<id>/export`,
    '',
    `Server VmRSS idle after start ${mb(exports.idleRss)}, after sign-in ${mb(exports.signedInRss)}.`,
    '',
    '| run | rows | MiB | seconds | rows/s | RSS before | peak RSS | RSS after | load 1 min (before → after) |',
    '|---|---|---|---|---|---|---|---|---|',
    ...exports.runs.map(
      (r, i) =>
        `| ${i + 1}${i === 0 ? ' (cold)' : ''} | ${r.rows} | ${(r.bytes / 2 ** 20).toFixed(1)} | ${r.seconds.toFixed(2)} | ${Math.round(r.rows / r.seconds)} | ${mb(r.rssBefore)} | ${mb(r.rssPeak)} | ${mb(r.rssAfter)} | ${r.loadBefore} → ${r.loadAfter} |`,
    ),
    '',
    `### Pages: large seed (group L${LARGE_SEED}-1: ${fixture.pupils} pupils, ${fixture.unitRows} cached unit rows; its first pupil), as ${fixture.email}`,
    '',
    `${ITERATIONS} interleaved iterations after ${WARMUP} warm-up rounds; time to the last byte of the response; load 1 min ${pages.loadBefore} → ${pages.loadAfter}.`,
    '"loaders only" is `loadReportSnapshot` called from the bench process (the RPCs, no Next), in a phase after the pages (before session 4 it was interleaved with them, and its parsing and GC in the bench process fell inside page timings).',
    '',
    '| case | p50 | p95 |',
    '|---|---|---|',
    ...[...pages.timings.keys()].map((name) => `| ${name} | ${ms(p(name, 50))} | ${ms(p(name, 95))} |`),
    '',
    `Cached vs live, p95: group ${(p('group page, live', 95) / p('group page, cached', 95)).toFixed(1)}×, pupil ${(p('pupil page, live', 95) / p('pupil page, cached', 95)).toFixed(1)}×; p50: group ${(p('group page, live', 50) / p('group page, cached', 50)).toFixed(1)}×, pupil ${(p('pupil page, live', 50) / p('pupil page, cached', 50)).toFixed(1)}×.`,
    '<!-- bench:end -->',
  ];
  return lines.join('\n');
}

function summarySection(
  when: string,
  exports: Awaited<ReturnType<typeof measureExports>>,
  pages: Awaited<ReturnType<typeof measurePages>>,
): string {
  const p = (name: string, q: number) => ms(percentile(pages.timings.get(name)!, q));
  const best = exports.runs.reduce((a, b) => (a.rows / a.seconds > b.rows / b.seconds ? a : b));
  const cold = exports.runs[0]!;
  const peak = Math.max(...exports.runs.map((r) => r.rssPeak));
  return [
    '<!-- pages-bench:start -->',
    `## Report pages and CSV export on the real server (\`scripts/bench-reports-pages.ts\`, ${when})`,
    '',
    'Details and method: specs/reports/pages.md.',
    '',
    '| measure | figure | target | load 1 min |',
    '|---|---|---|---|',
    `| export, 100,000 rows, cold / best of ${exports.runs.length} | ${Math.round(cold.rows / cold.seconds)} / ${Math.round(best.rows / best.seconds)} rows/s | ≥ 50,000 rows/s | ${cold.loadBefore} |`,
    `| export, peak RSS of next-server over ${exports.runs.length} runs (idle ${mb(exports.idleRss)}; ${MEMORY_SETTINGS}) | ${mb(peak)} | ≤ 150 MB | ${cold.loadBefore} |`,
    `| group page cached, p50 / p95 | ${p('group page, cached', 50)} / ${p('group page, cached', 95)} | p95 ≤ 50 ms | ${pages.loadBefore} |`,
    `| group page live, p50 / p95 | ${p('group page, live', 50)} / ${p('group page, live', 95)} | ≥ 10× cached | ${pages.loadBefore} |`,
    `| pupil page cached, p50 / p95 | ${p('pupil page, cached', 50)} / ${p('pupil page, cached', 95)} | p95 ≤ 50 ms | ${pages.loadBefore} |`,
    `| pupil page live, p50 / p95 | ${p('pupil page, live', 50)} / ${p('pupil page, live', 95)} | ≥ 10× cached | ${pages.loadBefore} |`,
    '<!-- pages-bench:end -->',
  ].join('\n');
}

/** Replaces the text between `start` and `end` markers in a file, or appends the section. */
async function writeBetweenMarkers(path: string, section: string, start: string, end: string): Promise<void> {
  const current = await readFile(path, 'utf8');
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  const next = from >= 0 && to > from ? current.slice(0, from) + section + current.slice(to + end.length) : `${current.trimEnd()}\n\n${section}\n`;
  await writeFile(path, next);
}

/**
 * The stack to measure: the running one given by SUPABASE_URL / SUPABASE_ANON_KEY /
 * BENCH_DB_URL, or (none given, as under `npm run bench`) an own throwaway stack with the
 * demo seed plus the large seed, stopped and removed at the end.
 */
async function benchStack(): Promise<{ env: StackEnv; dbUrl: string; close(): Promise<void> }> {
  const { SUPABASE_URL, SUPABASE_ANON_KEY, SUPABASE_SERVICE_ROLE_KEY, BENCH_DB_URL } = process.env;
  if (SUPABASE_URL && SUPABASE_ANON_KEY && BENCH_DB_URL) {
    const env = { SUPABASE_URL, SUPABASE_ANON_KEY, ...(SUPABASE_SERVICE_ROLE_KEY ? { SUPABASE_SERVICE_ROLE_KEY } : {}) };
    return { env, dbUrl: BENCH_DB_URL, close: async () => {} };
  }
  if (SUPABASE_URL || BENCH_DB_URL) throw new Error('set all of SUPABASE_URL, SUPABASE_ANON_KEY and BENCH_DB_URL, or none (an own stack)');
  process.stderr.write('no stack given: starting an own stack and loading the large seed (~1 min)…\n');
  const dataDir = await makeTempDataDir('bench-pages');
  const own = await startStackProcess({ dataDir, fresh: true });
  try {
    await runSeedLarge(ROOT, own.info.dbUrl, { pupils: 1200, seed: LARGE_SEED });
  } catch (error) {
    await own.stop();
    await removeDataDir(dataDir);
    throw error;
  }
  const env = { SUPABASE_URL: own.info.apiUrl, SUPABASE_ANON_KEY: own.info.anonKey, SUPABASE_SERVICE_ROLE_KEY: own.info.serviceRoleKey };
  return {
    env,
    dbUrl: own.info.dbUrl,
    async close() {
      await own.stop();
      await removeDataDir(dataDir);
    },
  };
}

async function main(): Promise<void> {
  const target = await benchStack();
  try {
    await measureAll(target.env, target.dbUrl);
  } finally {
    await target.close();
  }
}

async function measureAll(stack: StackEnv, dbUrl: string): Promise<void> {
  await buildAppIfStale(ROOT, (line) => process.stderr.write(`${line}\n`));
  const db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  const fixture = await largeSeedFixture(db);
  await ensureCohort(db);
  await db.end();

  const logDir = join(ROOT, '.tmp', 'bench-pages');
  await mkdir(logDir, { recursive: true });
  const port = Number(process.env.BENCH_PORT ?? 3310);
  const livePort = Number(process.env.BENCH_LIVE_PORT ?? 3311);
  const servers: AppServer[] = [];
  try {
    const cache = await startAppServer({ root: ROOT, name: 'next-cache', port, stack, extraEnv: MEMORY_ENV, nodeOptions: NODE_OPTIONS, logDir });
    servers.push(cache);
    const exports = await measureExports(cache);
    if (process.env.BENCH_ONLY === 'export') {
      process.stdout.write(`${JSON.stringify(exports, null, 1)}\n`);
      return;
    }
    const live = await startAppServer({ root: ROOT, name: 'next-live', port: livePort, stack, extraEnv: { ...MEMORY_ENV, REPORTS_SOURCE: 'live' }, nodeOptions: NODE_OPTIONS, logDir });
    servers.push(live);
    const pages = await measurePages(cache, live, fixture, stack);
    const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
    const details = pagesSection(when, fixture, exports, pages);
    const summary = summarySection(when, exports, pages);
    process.stdout.write(`${details}\n\n${summary}\n`);
    if (process.env.BENCH_WRITE !== '0') {
      await writeBetweenMarkers(join(ROOT, 'specs/reports/pages.md'), details, '<!-- bench:start -->', '<!-- bench:end -->');
      await writeBetweenMarkers(join(ROOT, 'specs/reports/cache.md'), summary, '<!-- pages-bench:start -->', '<!-- pages-bench:end -->');
    }
  } finally {
    await Promise.all(servers.map((server) => server.child.stop('SIGTERM')));
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
