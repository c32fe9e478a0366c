/**
 * `npm run seed:large -- --pupils 1200 --seed 42 [--db-url postgres://…]`
 *
 * Adds a deterministic representative school next to the demo one: 3 departments, 12
 * units per department, 6 criteria per unit, 40 groups (each taught by its own teacher,
 * login teacher.NN@large.markbook.test / markbook-demo), each pupil in 4 groups, 3
 * assignments per unit per group, feedback for 39 of every 40 cells (1.01M rows at 1,200 pupils),
 * then backfills the report cache. Everything is generated server-side in batched
 * INSERT … SELECT statements from md5/hashtext of the seed, so the same seed gives the
 * same rows. Progress on stderr; refuses to run twice for the same seed.
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { z } from 'zod';

const DEFAULT_DB_URL = 'postgres://postgres:postgres@127.0.0.1:54322/postgres';
const GROUPS = 40;
const DEPARTMENTS = 3;
const UNITS_PER_DEPARTMENT = 12;
const CRITERIA_PER_UNIT = 6;
const ASSIGNMENTS_PER_UNIT = 3;
const GROUPS_PER_PUPIL = 4;

const args = z
  .object({
    pupils: z.coerce.number().int().min(GROUPS).max(100_000).default(1200),
    seed: z.coerce.number().int().min(0).default(42),
    'db-url': z.string().regex(/^postgres(ql)?:\/\//).optional(),
  })
  .parse(
    parseArgs({ options: { pupils: { type: 'string' }, seed: { type: 'string' }, 'db-url': { type: 'string' } } }).values,
  );

function progress(label: string, done: number, total: number, startedAt: number): void {
  const width = 30;
  const filled = Math.round((done / total) * width);
  const seconds = (Date.now() - startedAt) / 1000;
  process.stderr.write(`\r${label.padEnd(10)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${seconds.toFixed(1)}s`);
  if (done === total) process.stderr.write('\n');
}

async function main(): Promise<void> {
  const client = new pg.Client({ connectionString: args['db-url'] ?? process.env.SUPABASE_LOCAL_DB_URL ?? DEFAULT_DB_URL });
  await client.connect();
  const seed = String(args.seed);
  // Deterministic ids: md5 of (seed, kind, n) as a uuid.
  const id = (kind: string, n: string) => `md5('large:' || $1 || ':${kind}:' || ${n})::uuid`;
  try {
    const exists = await client.query(`select 1 from public.departments where id = ${id('department', '1')}`, [seed]);
    if (exists.rowCount) throw new Error(`a large school with seed ${seed} is already loaded`);
    let started = Date.now();
    await client.query('begin');
    await client.query(
      `insert into public.departments (id, name) select ${id('department', 'd')}, 'Large ' || $1 || ' dept ' || d from generate_series(1, ${DEPARTMENTS}) d`,
      [seed],
    );
    await client.query(
      `insert into public.units (id, department_id, name, position)
       select ${id('unit', "d || '-' || u")}, ${id('department', 'd')}, 'Unit ' || d || '.' || u, u
       from generate_series(1, ${DEPARTMENTS}) d, generate_series(1, ${UNITS_PER_DEPARTMENT}) u`,
      [seed],
    );
    await client.query(
      `insert into public.success_criteria (id, unit_id, position, description)
       select ${id('criterion', "d || '-' || u || '-' || c")}, ${id('unit', "d || '-' || u")}, c, 'Criterion ' || c
       from generate_series(1, ${DEPARTMENTS}) d, generate_series(1, ${UNITS_PER_DEPARTMENT}) u, generate_series(1, ${CRITERIA_PER_UNIT}) c`,
      [seed],
    );
    await client.query(
      `insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at, confirmation_token,
         recovery_token, email_change_token_new, email_change, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
       select '00000000-0000-0000-0000-000000000000', ${id('teacher', 'g')}, 'authenticated', 'authenticated',
         'teacher.' || lpad(g::text, 2, '0') || '.s' || $1 || '@large.markbook.test',
         extensions.crypt('markbook-demo', extensions.gen_salt('bf', 6)), now(), '', '', '', '',
         '{"provider":"email","providers":["email"]}', '{}', now(), now()
       from generate_series(1, ${GROUPS}) g`,
      [seed],
    );
    await client.query(
      `insert into auth.identities (provider_id, user_id, identity_data, provider, created_at, updated_at)
       select u.id::text, u.id, jsonb_build_object('sub', u.id::text, 'email', u.email), 'email', now(), now()
       from generate_series(1, ${GROUPS}) g join auth.users u on u.id = ${id('teacher', 'g')}`,
      [seed],
    );
    await client.query(
      `insert into public.staff (id, display_name, role, department_id)
       select ${id('teacher', 'g')}, 'Teacher ' || g, 'teacher', ${id('department', `1 + (g - 1) % ${DEPARTMENTS}`)}
       from generate_series(1, ${GROUPS}) g`,
      [seed],
    );
    await client.query(
      `insert into public.groups (id, name, subject, year_group, department_id)
       select ${id('group', 'g')}, 'L' || $1 || '-' || g, 'Subject ' || (1 + (g - 1) % ${DEPARTMENTS}), 7 + g % 5,
         ${id('department', `1 + (g - 1) % ${DEPARTMENTS}`)}
       from generate_series(1, ${GROUPS}) g`,
      [seed],
    );
    await client.query(
      `insert into public.group_staff (group_id, staff_id) select ${id('group', 'g')}, ${id('teacher', 'g')} from generate_series(1, ${GROUPS}) g`,
      [seed],
    );
    await client.query(
      `insert into public.pupils (id, first_name, last_name, year_group)
       select ${id('pupil', 'p')}, 'Pupil', 'Large-' || $1 || '-' || p, 7 + p % 5 from generate_series(1, $2::int) p`,
      [seed, args.pupils],
    );
    // Pupil p is in groups p, p+10, p+20, p+30 (mod 40): four groups, spread over departments.
    await client.query(
      `insert into public.group_pupils (group_id, pupil_id)
       select distinct ${id('group', `1 + (p + k * ${GROUPS / GROUPS_PER_PUPIL}) % ${GROUPS}`)}, ${id('pupil', 'p')}
       from generate_series(1, $2::int) p, generate_series(0, ${GROUPS_PER_PUPIL - 1}) k`,
      [seed, args.pupils],
    );
    await client.query(
      `insert into public.assignments (id, unit_id, group_id, title, set_on, due_on)
       select ${id('assignment', "g || '-' || u || '-' || a")}, ${id('unit', `(1 + (g - 1) % ${DEPARTMENTS}) || '-' || u`)},
         ${id('group', 'g')}, 'Unit ' || u || ' task ' || a, date '2026-09-01' + (u * 7 + a), date '2026-09-08' + (u * 7 + a)
       from generate_series(1, ${GROUPS}) g, generate_series(1, ${UNITS_PER_DEPARTMENT}) u, generate_series(1, ${ASSIGNMENTS_PER_UNIT}) a`,
      [seed],
    );
    await client.query('commit');
    process.stderr.write(`structure  ${((Date.now() - started) / 1000).toFixed(1)}s\n`);

    // Feedback, one batch (transaction) per group; 1 cell in 40 left unmarked.
    started = Date.now();
    let rows = 0;
    for (let g = 1; g <= GROUPS; g += 1) {
      const result = await client.query(
        `insert into public.feedback (assignment_id, pupil_id, success_criterion_id, rating, updated_by, updated_at)
         select a.id, gp.pupil_id, sc.id, (h % 4)::int2, ${id('teacher', '$2::int')},
           timestamptz '2026-09-15 09:00+00' + (h % 100000) * interval '1 minute'
         from public.assignments a
         join public.group_pupils gp on gp.group_id = a.group_id
         join public.success_criteria sc on sc.unit_id = a.unit_id
         cross join lateral (select abs(hashtext($1 || a.id::text || gp.pupil_id::text || sc.id::text)) as h) hashed
         where a.group_id = ${id('group', '$2::int')} and (hashed.h / 4) % 40 <> 0
         order by a.id, gp.pupil_id, sc.position`,
        [seed, g],
      );
      rows += result.rowCount ?? 0;
      progress('feedback', g, GROUPS, started);
    }
    const feedbackSeconds = (Date.now() - started) / 1000;
    process.stderr.write(`feedback   ${rows} rows, ${Math.round(rows / feedbackSeconds)} rows/s\n`);

    // Backfill: the cache is derived data, so rebuild all of it in one set-based pass. Into
    // empty tables reports_recalculate_all sets keys and indexes aside (bulk load; migration
    // 20261122082000), ~4× faster than per-pupil calls. The rebuild lock comes first, so a
    // running worker's recalculations wait rather than deadlock with the truncate.
    // Fresh rows are not yet all-visible: without a vacuum the calculation's index-only
    // scans visit the heap for every feedback row (the backfill took 4.5 s instead of ~3).
    started = Date.now();
    await client.query('vacuum (analyze) public.feedback');
    process.stderr.write(`vacuum     feedback in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    started = Date.now();
    process.stderr.write('backfill   rebuilding the report cache (one set-based pass)…');
    await client.query('begin');
    await client.query('select pg_advisory_xact_lock(private.reports_rebuild_lock_key())');
    await client.query('truncate public.report_pupil_unit_summaries, public.report_pupil_summary, public.report_pupil_feedback_cache');
    const rebuilt = await client.query<{ pupils: number }>('select public.reports_recalculate_all() as pupils');
    await client.query('commit');
    const backfillSeconds = (Date.now() - started) / 1000;
    const backfilled = rebuilt.rows[0]!.pupils;
    process.stderr.write(`\rbackfill   ${backfilled} pupils in ${backfillSeconds.toFixed(1)} s, ${Math.round(backfilled / backfillSeconds)} pupils/s\n`);
    await client.query('analyze');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`\nseed:large failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
