/**
 * Applies the Supabase baseline, then `supabase/migrations/*.sql` in filename order, each
 * once and each in its own transaction (recorded in supabase_migrations.schema_migrations,
 * as the Supabase CLI does), then the seed file on a database that has never been seeded.
 * A failing file rolls back whole and stops start-up with its name and the Postgres error.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type pg from 'pg';

const BASELINE_PATH = new URL('./baseline.sql', import.meta.url);
const MIGRATION_FILE = /^(\d+)_(.+)\.sql$/;

export class SqlFileError extends Error {
  constructor(
    readonly file: string,
    readonly pgMessage: string,
    readonly pgCode: string | undefined,
    readonly line: number | undefined,
  ) {
    super(`${file}${line ? `:${line}` : ''}: ${pgMessage}${pgCode ? ` (SQLSTATE ${pgCode})` : ''}`);
  }
}

function lineOf(sql: string, position: string | undefined): number | undefined {
  const offset = Number.parseInt(position ?? '', 10);
  if (!Number.isInteger(offset)) return undefined;
  return sql.slice(0, offset).split('\n').length;
}

/** Runs one SQL file in one transaction; on error nothing of it stays. */
async function runFileInTransaction(
  client: pg.ClientBase,
  file: string,
  sql: string,
  record: () => Promise<unknown>,
): Promise<void> {
  await client.query('begin');
  try {
    await client.query(sql);
    await record();
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    const pgError = error as { message: string; code?: string; position?: string };
    throw new SqlFileError(file, pgError.message, pgError.code, lineOf(sql, pgError.position));
  }
}

export async function applyBaseline(client: pg.ClientBase, authenticatorPassword: string): Promise<void> {
  const sql = await readFile(BASELINE_PATH, 'utf8');
  // Serialise concurrent stacks on one server (roles and publications are cluster-wide).
  await client.query('select pg_advisory_lock(5432100)');
  try {
    await runFileInTransaction(client, 'supabase-local/postgres/baseline.sql', sql, async () => {
      await client.query(`select set_config('markbook.authenticator_password', $1, true)`, [authenticatorPassword]);
      await client.query(`do $$ begin execute format('alter role authenticator password %L',
        current_setting('markbook.authenticator_password')); end $$`);
    });
  } finally {
    await client.query('select pg_advisory_unlock(5432100)');
  }
}

export type MigrationReport = { applied: string[]; skipped: number };

export async function applyMigrations(client: pg.ClientBase, dir: string): Promise<MigrationReport> {
  const files = existsSync(dir) ? (await readdir(dir)).filter((name) => MIGRATION_FILE.test(name)).sort() : [];
  const done = await client.query<{ version: string }>('select version from supabase_migrations.schema_migrations');
  const appliedVersions = new Set(done.rows.map((row) => row.version));
  const report: MigrationReport = { applied: [], skipped: 0 };
  for (const file of files) {
    const [, version = '', name = ''] = MIGRATION_FILE.exec(file) ?? [];
    if (appliedVersions.has(version)) {
      report.skipped += 1;
      continue;
    }
    const sql = await readFile(join(dir, file), 'utf8');
    await runFileInTransaction(client, join(basename(dir), file), sql, () =>
      client.query('insert into supabase_migrations.schema_migrations (version, name, statements) values ($1, $2, $3)', [
        version,
        name,
        [sql],
      ]),
    );
    report.applied.push(file);
  }
  return report;
}

/** Loads the seed once per database; returns whether it ran. */
export async function applySeedOnce(client: pg.ClientBase, seedPath: string): Promise<boolean> {
  const seeded = await client.query('select 1 from supabase_migrations.seed_files limit 1');
  if (seeded.rowCount) return false;
  const sql = await readFile(seedPath, 'utf8');
  const hash = createHash('sha256').update(sql).digest('hex');
  await runFileInTransaction(client, seedPath, sql, () =>
    client.query('insert into supabase_migrations.seed_files (path, hash) values ($1, $2)', [basename(seedPath), hash]),
  );
  return true;
}
