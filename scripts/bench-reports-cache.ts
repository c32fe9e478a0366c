/**
 * Report-cache benchmark (issue 4): starts its own stack (product migrations + demo seed) in
 * a throwaway data folder, loads the large seed (`scripts/seed-large.ts --pupils 1200
 * --seed 42`, run as a child exactly as `npm run seed:large` does), and measures
 *   - reports_recalculate_pupil p50/p95 over random large-seed pupils, called as the worker
 *     does (service_role, one transaction per call) over a direct connection: once with the
 *     cache already current, once after one feedback cell of the pupil changed;
 *   - the full backfill, reports_recalculate_all(), into empty cache tables and over a
 *     current cache (pupils/s);
 *   - a 30-pupil group's report read from the cache (a select on report_pupil_unit_summaries,
 *     and reports_group_units) versus computed on demand (reports_prepared_dataset per pupil,
 *     in flight and one after another, and reports_group_units_on_demand), through supabase-js
 *     in one run.
 * The large seed's groups have ~120 pupils, so the bench adds one 30-pupil group (the first
 * 30 pupils of a large group, taught the same 12 units with 3 assignments each, marked like
 * the seed marks) before measuring; the 120-pupil group is measured too, for comparison.
 * Writes its section of specs/reports/cache.md between the cache-bench markers.
 *
 * Speed figures only: nothing here asserts a timing (STYLE: benches, not tests).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createClient } from '@supabase/supabase-js';
import pg from 'pg';
import type { Database } from '../lib/supabase/database.types';
import { PROJECT_ROOT, makeTempDataDir, removeDataDir, startStackProcess } from '../tests/support/stack-process';
import { seededRandom } from '../tests/fixtures/school/seeded-random';
import { runSeedLarge } from './bench-support/run-seed-large';
import { summarise, type Summary } from './bench-support/percentiles';

const SEED = 42;
const PUPILS = 1200;
const RECALC_WARMUP = 20; // plpgsql caches the statement's plan per session after a few calls
const RECALC_SAMPLES = 600;
const RECALC_BATCH = 100; // samples per batch for the median-of-batch p95
const BACKFILL_RUNS = 5;
const GROUP_WARMUP = 3;
const GROUP_ROUNDS = 40; // cached and on-demand interleaved, so both see the same machine load
const SPEC_PATH = join(PROJECT_ROOT, 'specs/reports/cache.md');
const START_MARKER = '<!-- cache-bench:start -->';
const END_MARKER = '<!-- cache-bench:end -->';

function median(values: number[]): number {
  return summarise(values).p50;
}

/** The 1-minute load average now, to show how contended each phase was. */
const loadNow = () => loadavg()[0]!.toFixed(1);

const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} ms`;

/** A 30-pupil group: the first 30 pupils of large group 1, same units, marked like the seed. */
async function addThirtyPupilGroup(db: pg.Client): Promise<string> {
  const id = (kind: string, n: string) => `md5('large:' || $1 || ':${kind}:' || ${n})::uuid`;
  const seed = String(SEED);
  const group = await db.query<{ id: string }>(
    `insert into public.groups (id, name, subject, year_group, department_id)
     select md5('bench30:' || $1)::uuid, 'Bench-30-' || $1, g.subject, g.year_group, g.department_id
     from public.groups g where g.id = ${id('group', '1')}
     returning id`,
    [seed],
  );
  const groupId = group.rows[0]!.id;
  await db.query(
    `insert into public.group_staff (group_id, staff_id) select $2, ${id('teacher', '1')}`,
    [seed, groupId],
  );
  await db.query(
    `insert into public.group_pupils (group_id, pupil_id)
     select $2, gp.pupil_id from public.group_pupils gp where gp.group_id = ${id('group', '1')}
     order by gp.pupil_id limit 30`,
    [seed, groupId],
  );
  await db.query(
    `insert into public.assignments (unit_id, group_id, title, set_on, due_on)
     select a.unit_id, $2, a.title, a.set_on, a.due_on from public.assignments a where a.group_id = ${id('group', '1')}`,
    [seed, groupId],
  );
  await db.query(
    `insert into public.feedback (assignment_id, pupil_id, success_criterion_id, rating, updated_by, updated_at)
     select a.id, gp.pupil_id, sc.id, (h % 4)::int2, ${id('teacher', '1')},
       timestamptz '2026-09-15 09:00+00' + (h % 100000) * interval '1 minute'
     from public.assignments a
     join public.group_pupils gp on gp.group_id = a.group_id
     join public.success_criteria sc on sc.unit_id = a.unit_id
     cross join lateral (select abs(hashtext($1 || a.id::text || gp.pupil_id::text || sc.id::text)) as h) hashed
     where a.group_id = $2 and (hashed.h / 4) % 40 <> 0`,
    [seed, groupId],
  );
  return groupId;
}

type RecalcFigures = { roundTrip: Summary; server: Summary; batchP95: number };

async function measureRecalc(db: pg.Client, pupilIds: string[], changeFirst: boolean): Promise<RecalcFigures> {
  // Deterministic choice of pupils, so runs measure the same pupils.
  const random = seededRandom(changeFirst ? 7 : 3);
  const pick = () => random.pick(pupilIds);
  const roundTrip: number[] = [];
  const server: number[] = [];
  for (let i = 0; i < RECALC_WARMUP + RECALC_SAMPLES; i += 1) {
    const pupilId = pick();
    if (changeFirst) {
      // One marking click: the pupil's most recent cell gets a new rating and version.
      await db.query(
        `update public.feedback f set rating = (coalesce(f.rating, 0) + 1) % 4,
           version = nextval('public.feedback_version_seq'), updated_at = now()
         where f.id = (select id from public.feedback where pupil_id = $1 order by version desc limit 1)`,
        [pupilId],
      );
    }
    await db.query('begin');
    await db.query('set local role service_role');
    const started = performance.now();
    // Server-side: from the statement's arrival to the end of the procedure (no network, no client scheduling).
    const result = await db.query<{ server_ms: number }>(
      `select r.*, (extract(epoch from clock_timestamp() - statement_timestamp()) * 1000)::float8 as server_ms
       from public.reports_recalculate_pupil($1) r`,
      [pupilId],
    );
    const elapsed = performance.now() - started;
    await db.query('commit');
    if (i >= RECALC_WARMUP) {
      roundTrip.push(elapsed);
      server.push(result.rows[0]!.server_ms);
    }
  }
  // p95 per consecutive batch, then the median: a burst of other engineers' work on the
  // shared machine lands in one batch instead of setting the whole run's tail.
  const batchP95s: number[] = [];
  for (let i = 0; i < roundTrip.length; i += RECALC_BATCH) batchP95s.push(summarise(roundTrip.slice(i, i + RECALC_BATCH)).p95);
  return { roundTrip: summarise(roundTrip), server: summarise(server), batchP95: median(batchP95s) };
}

/**
 * Seconds until the stack's Realtime has read the WAL past `target` (its slot's confirmed
 * position). A rebuild commits ~305k row changes that Realtime decodes afterwards (the
 * walsender and the stack's Node process: a core or two for a few seconds); each rebuild is
 * timed after the previous one's decoding is done, as rebuilds are not back to back in use.
 */
async function waitForRealtimeCatchUp(db: pg.Client, target: string | null): Promise<number> {
  const started = performance.now();
  if (!target) return 0;
  for (;;) {
    const { rows } = await db.query<{ behind: boolean }>(
      `select coalesce(bool_or(confirmed_flush_lsn < $1::pg_lsn), false) as behind
       from pg_replication_slots where slot_name like 'supabase_local_realtime%'`,
      [target],
    );
    if (!rows[0]!.behind || performance.now() - started > 60_000) return (performance.now() - started) / 1000;
    await new Promise((resolveWait) => setTimeout(resolveWait, 50));
  }
}

async function measureBackfill(db: pg.Client, emptyFirst: boolean): Promise<{ seconds: number; pupils: number; decodeSeconds: number }> {
  const runs: Array<{ seconds: number; pupils: number }> = [];
  const decodes: number[] = [];
  // A WAL position inside the last rebuild's transaction: Realtime has decoded that rebuild
  // once its slot confirms a position at or past it (the rebuild's commit).
  let lastRebuild: string | null = null;
  for (let run = 0; run < BACKFILL_RUNS; run += 1) {
    if (lastRebuild) decodes.push(await waitForRealtimeCatchUp(db, lastRebuild));
    await db.query('begin');
    if (emptyFirst) {
      await db.query('select pg_advisory_xact_lock(private.reports_rebuild_lock_key())');
      await db.query(
        'truncate public.report_pupil_unit_summaries, public.report_pupil_summary, public.report_pupil_feedback_cache',
      );
    }
    await db.query('set local role service_role');
    const started = performance.now();
    const result = await db.query<{ pupils: number; lsn: string }>(
      'select public.reports_recalculate_all() as pupils, pg_current_wal_insert_lsn()::text as lsn',
    );
    await db.query('commit');
    runs.push({ seconds: (performance.now() - started) / 1000, pupils: result.rows[0]!.pupils });
    lastRebuild = result.rows[0]!.lsn;
  }
  decodes.push(await waitForRealtimeCatchUp(db, lastRebuild));
  const seconds = median(runs.map((run) => run.seconds));
  return { seconds, pupils: runs[0]!.pupils, decodeSeconds: median(decodes) };
}

type GroupRead = {
  pupils: number; rows: number; load: string;
  /** The cached table itself: one select with explicit columns, filtered on group_ids. */
  cached: Summary;
  /** The cached rows with pupil and unit names, sorted (reports_group_units). */
  cachedRpc: Summary;
  onDemand: Summary; perPupil: Summary; perPupilSequential: Summary; sqlCached: Summary; sqlOnDemand: Summary;
};

/** The same two RPCs over a direct connection (no HTTP/JSON): where the time goes. */
async function measureGroupSql(db: pg.Client, groupId: string, fn: 'reports_group_units' | 'reports_group_units_on_demand'): Promise<Summary> {
  const samples: number[] = [];
  await db.query('begin');
  await db.query('set local role service_role');
  for (let round = 0; round < GROUP_WARMUP + GROUP_ROUNDS; round += 1) {
    const started = performance.now();
    await db.query(`select count(*) from public.${fn}($1)`, [groupId]);
    if (round >= GROUP_WARMUP) samples.push(performance.now() - started);
  }
  await db.query('commit');
  return summarise(samples);
}

const CACHED_UNIT_COLUMNS = 'pupil_id, unit_id, assignments_counted, criteria_rated, average_rating, working_level, last_feedback_at, source_version';

/** Rows of any of the group reads, reduced to what all of them return, in one order (for the equality check). */
function comparable(rows: { pupil_id: string; unit_id: string; average_rating: number; source_version: number }[]): string {
  return JSON.stringify(
    rows
      .map((row) => `${row.pupil_id}:${row.unit_id}:${Number(row.average_rating)}:${Number(row.source_version)}`)
      .sort(),
  );
}

async function timed<T>(run: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await run();
  return [value, performance.now() - started];
}

async function measureGroupRead(
  db: pg.Client,
  supabase: ReturnType<typeof createClient<Database>>,
  groupId: string,
  pupils: number,
): Promise<GroupRead> {
  const loadBefore = loadNow();
  const samples = { cached: [] as number[], cachedRpc: [] as number[], onDemand: [] as number[], perPupil: [] as number[], perPupilSequential: [] as number[] };
  const pupilIds = (
    await db.query<{ pupil_id: string }>('select pupil_id from public.group_pupils where group_id = $1', [groupId])
  ).rows.map((row) => row.pupil_id);
  const perPupilCall = (pupilId: string) => supabase.rpc('reports_prepared_dataset', { p_pupil_id: pupilId });
  let rows = 0;
  for (let round = 0; round < GROUP_WARMUP + GROUP_ROUNDS; round += 1) {
    const [fromTable, cachedMs] = await timed(async () =>
      supabase.from('report_pupil_unit_summaries').select(CACHED_UNIT_COLUMNS).contains('group_ids', [groupId]),
    );
    const [fromRpc, cachedRpcMs] = await timed(async () => supabase.rpc('reports_group_units', { p_group_id: groupId }));
    const [computed, onDemandMs] = await timed(async () => supabase.rpc('reports_group_units_on_demand', { p_group_id: groupId }));
    // The baseline procedure the issue names: reports_prepared_dataset(pupil), once per pupil,
    // keeping the rows of this group's units: all in flight at once, and one after another.
    const [perPupilResults, perPupilMs] = await timed(async () => Promise.all(pupilIds.map(perPupilCall)));
    const [, perPupilSequentialMs] = await timed(async () => {
      for (const pupilId of pupilIds) {
        const result = await perPupilCall(pupilId);
        if (result.error) throw new Error(`reports_prepared_dataset failed: ${result.error.code}`);
      }
    });
    if (fromTable.error || fromRpc.error || computed.error) {
      throw new Error(`group read failed: ${fromTable.error?.code ?? fromRpc.error?.code ?? computed.error?.code}`);
    }
    const perPupilRows = perPupilResults.flatMap((result) => {
      if (result.error) throw new Error(`reports_prepared_dataset failed: ${result.error.code}`);
      return result.data.filter((row) => row.group_ids.includes(groupId));
    });
    const expected = comparable(computed.data);
    if (comparable(fromTable.data) !== expected || comparable(fromRpc.data) !== expected || comparable(perPupilRows) !== expected) {
      throw new Error('the cached and on-demand group reads differ: the cache is not current');
    }
    rows = fromTable.data.length;
    if (round >= GROUP_WARMUP) {
      samples.cached.push(cachedMs);
      samples.cachedRpc.push(cachedRpcMs);
      samples.onDemand.push(onDemandMs);
      samples.perPupil.push(perPupilMs);
      samples.perPupilSequential.push(perPupilSequentialMs);
    }
  }
  const load = `${loadBefore} → ${loadNow()}`;
  return {
    pupils,
    rows,
    load,
    cached: summarise(samples.cached),
    cachedRpc: summarise(samples.cachedRpc),
    onDemand: summarise(samples.onDemand),
    perPupil: summarise(samples.perPupil),
    perPupilSequential: summarise(samples.perPupilSequential),
    sqlCached: await measureGroupSql(db, groupId, 'reports_group_units'),
    sqlOnDemand: await measureGroupSql(db, groupId, 'reports_group_units_on_demand'),
  };
}

function renderSection(facts: {
  date: string;
  feedbackRows: number;
  seedBackfillLine: string;
  recalcCurrent: RecalcFigures;
  recalcChanged: RecalcFigures;
  backfillEmpty: { seconds: number; pupils: number; decodeSeconds: number };
  backfillCurrent: { seconds: number; pupils: number; decodeSeconds: number };
  groups: GroupRead[];
  floor: Summary;
  load: string;
  loads: Record<'recalcCurrent' | 'recalcChanged' | 'backfillEmpty' | 'backfillCurrent', string>;
}): string {
  const rate = (b: { seconds: number; pupils: number }) => Math.round(b.pupils / b.seconds);
  const verdict = (ok: boolean) => (ok ? 'met' : 'missed');
  const group30 = facts.groups[0]!;
  const lines = [
    START_MARKER,
    `## Benchmark (\`scripts/bench-reports-cache.ts\`, ${facts.date})`,
    '',
    `Own stack (embedded PostgreSQL 17), product migrations + demo seed, then \`seed:large --pupils ${PUPILS} --seed ${SEED}\``,
    `plus one 30-pupil group (see below): ${facts.feedbackRows.toLocaleString('en-GB')} feedback rows, then \`vacuum analyze\`.`,
    `Shared 2-core machine (other engineers' builds and tests running; 1-minute load average ${facts.load}): medians and`,
    'p95 over many samples.',
    '',
    '| what | measured | target | | load (1 min) before → after |',
    '|---|---|---|---|---|',
    ...([
      ['cache already current', facts.recalcCurrent, facts.loads.recalcCurrent],
      ["after one of the pupil's cells changed", facts.recalcChanged, facts.loads.recalcChanged],
    ] as const).map(
      ([label, r, load]) =>
        `| \`reports_recalculate_pupil\` p50 / p95, ${label} (${r.roundTrip.n} random pupils): round trip · server-side · median of ${RECALC_SAMPLES / RECALC_BATCH} batch p95s | ${ms(r.roundTrip.p50)} / ${ms(r.roundTrip.p95)} · ${ms(r.server.p50)} / ${ms(r.server.p95)} · ${ms(r.batchP95)} | p95 ≤ 5 ms | ${verdict(r.roundTrip.p95 <= 5)}${r.roundTrip.p95 > 5 && r.batchP95 <= 5 ? ' (round-trip p95; met by the batch median)' : ''} | ${load} |`,
    ),
    `| full backfill into empty cache tables, \`reports_recalculate_all()\` (${facts.backfillEmpty.pupils} pupils, median of ${BACKFILL_RUNS}) | ${facts.backfillEmpty.seconds.toFixed(2)} s = ${rate(facts.backfillEmpty)} pupils/s | ≥ 500 pupils/s | ${verdict(rate(facts.backfillEmpty) >= 500)} | ${facts.loads.backfillEmpty} |`,
    `| full rebuild over a current cache, \`reports_recalculate_all()\` (median of ${BACKFILL_RUNS}) | ${facts.backfillCurrent.seconds.toFixed(2)} s = ${rate(facts.backfillCurrent)} pupils/s | ≥ 500 pupils/s | ${verdict(rate(facts.backfillCurrent) >= 500)} | ${facts.loads.backfillCurrent} |`,
    ...facts.groups.flatMap((g) => {
      const target = g.pupils === 30 ? '≥ 20×' : '—';
      const versus = (label: string, other: Summary) =>
        `| ${g.pupils}-pupil group (${g.rows} rows) through supabase-js, cached (one select on the table) vs ${label}, p50 / p95 of ${g.cached.n} | ${ms(g.cached.p50)} / ${ms(g.cached.p95)} vs ${ms(other.p50)} / ${ms(other.p95)} (${(other.p50 / g.cached.p50).toFixed(1)}× at p50) | ${target} | ${g.pupils === 30 ? verdict(other.p50 / g.cached.p50 >= 20) : ''} | ${g.load} |`;
      return [
        versus(`the baseline \`reports_prepared_dataset\` per pupil, one call after another`, g.perPupilSequential),
        versus(`the same baseline with all ${g.pupils} calls in flight at once`, g.perPupil),
        versus('the set-based on-demand RPC `reports_group_units_on_demand` (one call; what `REPORTS_SOURCE=live` computed before the page RPCs)', g.onDemand),
        `| same group, the cached RPC with pupil and unit names, sorted (\`reports_group_units\`) vs the set-based on-demand RPC | ${ms(g.cachedRpc.p50)} / ${ms(g.cachedRpc.p95)} vs ${ms(g.onDemand.p50)} / ${ms(g.onDemand.p95)} (${(g.onDemand.p50 / g.cachedRpc.p50).toFixed(1)}× at p50) | — | | ${g.load} |`,
      ];
    }),
    '',
    'How it was measured:',
    '- Recalculation: one direct connection, each call its own transaction as `service_role` (as the worker runs it),',
    `  timed round trip on localhost; ${RECALC_WARMUP} warm-up calls first (plpgsql caches the statement plan per session;`,
    '  the worker\'s pooled connections stay warm). "Changed" bumps the rating and version of the pupil\'s latest cell',
    '  before each (untimed) call, so every timed call rewrites one unit row, the summary and one criteria row.',
    '  Server-side = `clock_timestamp() - statement_timestamp()` at the end of the call. The batch figure is the median',
    `  of the p95s of ${RECALC_SAMPLES / RECALC_BATCH} consecutive batches of ${RECALC_BATCH} calls (a burst of other work lands in one batch).`,
    '- Backfill: `truncate` of the three cached tables and `reports_recalculate_all()` in one transaction (the call and the',
    '  commit are timed), each run started once the stack\'s Realtime had decoded the previous one (its replication slot',
    `  caught up: a median ${facts.backfillEmpty.decodeSeconds.toFixed(1)} s after an empty-cache rebuild, on the same 2 cores);`,
    `  "current cache" runs it again with nothing to change. The seed's own backfill (truncate + the same call, demo and large school): ${facts.seedBackfillLine}.`,
    `- Group read: \`supabase.from('report_pupil_unit_summaries').select(<8 columns>).contains('group_ids', [group])\` (the cache`,
    `  as a client reads a table) and \`supabase.rpc('reports_group_units')\` vs \`supabase.rpc('reports_group_units_on_demand')\` vs`,
    `  one \`supabase.rpc('reports_prepared_dataset')\` per pupil of the group (Promise.all, then one after another; rows of the`,
    "  group's units kept), with the service-role key (RLS off, so all compute over the same rows; each round checks all",
    '  return the same rows),',
    `  interleaved, ${GROUP_WARMUP} warm-up rounds. The 30-pupil group is the first 30 pupils (by id) of large group 1 with`,
    '  copies of its 36 assignments, marked with the seed\'s rule, so those pupils have 5 groups (~1,000 cells) instead of 4.',
    `  Ratio = on-demand p50 / cached p50 (30 pupils: per-pupil baseline ${group30.perPupilSequential.p50.toFixed(1)} ms one after another, ${group30.perPupil.p50.toFixed(1)} ms in flight; set-based ${group30.onDemand.p50.toFixed(1)} ms; cached ${group30.cached.p50.toFixed(1)} ms).`,
    '- Where the group read\'s time goes: the same RPCs over a direct connection (`select count(*) from …`, no HTTP/JSON),',
    `  p50: ${facts.groups.map((g) => `${g.pupils} pupils ${ms(g.sqlCached.p50)} cached vs ${ms(g.sqlOnDemand.p50)} on demand (${(g.sqlOnDemand.p50 / g.sqlCached.p50).toFixed(0)}×)`).join('; ')}.`,
    `  A near-empty supabase-js call (\`rpc('rating_scale')\`, 4 rows) takes ${ms(facts.floor.p50)} p50 / ${ms(facts.floor.p95)} p95 here:`,
    '  the floor of any read through the local API gateway.',
    END_MARKER,
  ];
  return lines.join('\n');
}

async function writeSection(section: string): Promise<void> {
  const current = await readFile(SPEC_PATH, 'utf8').catch(() => '# Report cache\n');
  const start = current.indexOf(START_MARKER);
  const end = current.indexOf(END_MARKER);
  const next =
    start >= 0 && end > start
      ? current.slice(0, start) + section + current.slice(end + END_MARKER.length)
      : `${current.trimEnd()}\n\n${section}\n`;
  await writeFile(SPEC_PATH, next);
}

async function main(): Promise<void> {
  const loadStart = loadavg()[0]!;
  const dataDir = await makeTempDataDir('bench-reports');
  const stack = await startStackProcess({ dataDir, fresh: true });
  const db = new pg.Client({ connectionString: stack.info.dbUrl });
  try {
    await db.connect();
    const seedLog = await runSeedLarge(PROJECT_ROOT, stack.info.dbUrl, { pupils: PUPILS, seed: SEED });
    const seedBackfillLine = /backfill\s+(\d+ pupils in [\d.]+ s, \d+ pupils\/s)/.exec(seedLog)?.[1] ?? 'not reported';
    const group30 = await addThirtyPupilGroup(db);
    await db.query('select public.reports_recalculate_all()');
    await db.query('vacuum analyze');
    const feedbackRows = Number((await db.query<{ n: string }>('select count(*)::text as n from public.feedback')).rows[0]!.n);
    const pupilIds = (
      await db.query<{ id: string }>(
        `select md5('large:' || $1 || ':pupil:' || p)::uuid as id from generate_series(1, $2::int) p`,
        [String(SEED), PUPILS],
      )
    ).rows.map((row) => row.id);

    process.stderr.write('recalc (cache current)…\n');
    const loads = { recalcCurrent: '', recalcChanged: '', backfillEmpty: '', backfillCurrent: '' };
    const phase = async <T>(name: keyof typeof loads, run: () => Promise<T>): Promise<T> => {
      const before = loadNow();
      const result = await run();
      loads[name] = `${before} → ${loadNow()}`;
      return result;
    };
    const recalcCurrent = await phase('recalcCurrent', () => measureRecalc(db, pupilIds, false));
    process.stderr.write('recalc (one cell changed)…\n');
    const recalcChanged = await phase('recalcChanged', () => measureRecalc(db, pupilIds, true));
    process.stderr.write('backfill…\n');
    const backfillEmpty = await phase('backfillEmpty', () => measureBackfill(db, true));
    const backfillCurrent = await phase('backfillCurrent', () => measureBackfill(db, false));
    await db.query('vacuum analyze');

    process.stderr.write('group reads…\n');
    const supabase = createClient<Database>(stack.info.apiUrl, stack.info.serviceRoleKey, {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    });
    const group120 = (
      await db.query<{ id: string }>(`select md5('large:' || $1 || ':group:1')::uuid as id`, [String(SEED)])
    ).rows[0]!.id;
    const groups = [await measureGroupRead(db, supabase, group30, 30), await measureGroupRead(db, supabase, group120, 120)];
    const floor: number[] = [];
    for (let round = 0; round < GROUP_WARMUP + GROUP_ROUNDS; round += 1) {
      const started = performance.now();
      const result = await supabase.rpc('rating_scale');
      if (result.error) throw new Error(`rating_scale failed: ${result.error.code}`);
      if (round >= GROUP_WARMUP) floor.push(performance.now() - started);
    }

    const section = renderSection({
      date: new Date().toISOString().slice(0, 10),
      feedbackRows,
      seedBackfillLine,
      recalcCurrent,
      recalcChanged,
      backfillEmpty,
      backfillCurrent,
      groups,
      floor: summarise(floor),
      loads,
      load: `${loadStart.toFixed(1)} at start, ${loadavg()[0]!.toFixed(1)} at end`,
    });
    await writeSection(section);
    process.stdout.write(`${section}\n`);
  } finally {
    await db.end().catch(() => undefined);
    await stack.stop();
    await removeDataDir(dataDir);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench-reports-cache failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
