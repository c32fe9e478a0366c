/**
 * The stack's start/stop contract, through the CLI as users run it: first start applies
 * baseline, migrations and seed; a restart on the same data folder re-applies nothing;
 * a broken migration names its file and leaves nothing half-applied; SIGINT stops
 * PostgreSQL too; an existing server given by URL works like the embedded one.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, makeTempDataDir, removeDataDir, startStackProcess, type StackProcess } from '../../support/stack-process';

const fixtures = resolve(PROJECT_ROOT, 'tests/fixtures');
const stackMigrations = join(fixtures, 'stack-migrations');
const stackSeed = join(stackMigrations, 'stack-seed.sql');

async function query<T extends pg.QueryResultRow>(dbUrl: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

async function publishedKeys(apiUrl: string): Promise<unknown> {
  return (await fetch(`${apiUrl}/auth/v1/.well-known/jwks.json`)).json();
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const dataDirs: string[] = [];
afterAll(async () => {
  for (const dir of dataDirs) await removeDataDir(dir);
});

describe('local stack lifecycle', () => {
  it('restarts on an existing data folder without re-applying migrations or re-seeding, and stops PostgreSQL on SIGINT', async () => {
    const dataDir = await makeTempDataDir('lifecycle');
    dataDirs.push(dataDir);

    const first = await startStackProcess({ dataDir, migrations: stackMigrations, seed: stackSeed });
    const health = await fetch(`${first.info.apiUrl}/health`);
    expect(health.status).toBe(200);
    const firstJwks = await publishedKeys(first.info.apiUrl);
    expect(await query(first.info.dbUrl, 'select body from public.notes')).toEqual([{ body: 'seeded' }]);
    const postmasterPid = Number((await readFile(join(dataDir, 'postgres/postmaster.pid'), 'utf8')).split('\n')[0]);
    expect(isAlive(postmasterPid)).toBe(true);
    expect(await first.stop()).toBe(0);
    expect(isAlive(postmasterPid)).toBe(false);

    const second = await startStackProcess({ dataDir, migrations: stackMigrations, seed: stackSeed });
    try {
      expect(second.info.jwtSecret).toBe(first.info.jwtSecret);
      // The signing key lives in the data folder too: sessions issued before the restart still verify.
      expect(await publishedKeys(second.info.apiUrl)).toEqual(firstJwks);
      expect(await query(second.info.dbUrl, 'select body from public.notes')).toEqual([{ body: 'seeded' }]);
      const versions = await query<{ version: string }>(second.info.dbUrl, 'select version from supabase_migrations.schema_migrations');
      expect(versions).toEqual([{ version: '20260101000500' }]);
      expect(second.logs.join('\n')).toContain('migrations applied: none new');
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });

  it('refuses a second stack on a data folder a running stack owns, leaving the first one serving', async () => {
    const dataDir = await makeTempDataDir('locked');
    dataDirs.push(dataDir);
    const owner = await startStackProcess({ dataDir, migrations: stackMigrations, seed: stackSeed });
    try {
      const refusal = await startStackProcess({ dataDir, migrations: stackMigrations }).then(
        () => 'started',
        (error: unknown) => String(error),
      );
      expect(refusal).toContain(`is in use by a running stack (pid ${owner.child.pid})`);
      expect(await query(owner.info.dbUrl, 'select body from public.notes')).toEqual([{ body: 'seeded' }]);
    } finally {
      expect(await owner.stop()).toBe(0);
    }
  });

  it('stops start-up on a broken migration with its file name and the Postgres error, leaving nothing of it applied', async () => {
    const dataDir = await makeTempDataDir('broken');
    dataDirs.push(dataDir);
    const failure = await startStackProcess({ dataDir, migrations: join(fixtures, 'broken-migrations') }).then(
      () => undefined,
      (error: unknown) => String(error),
    );
    expect(failure).toMatch(/20260101000100_create_broken\.sql:3: relation "public\.table_that_does_not_exist" does not exist/);
    expect(failure).toContain('SQLSTATE 42P01');

    // Start again with only the good migration: the broken file's first table must not exist.
    const healthy = await startStackProcess({ dataDir, migrations: stackMigrations });
    try {
      const tables = await query<{ table_name: string }>(
        healthy.info.dbUrl,
        `select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
      );
      expect(tables.map((row) => row.table_name)).toEqual(['notes', 'ok_table']);
    } finally {
      await healthy.stop();
    }
  });

  it('runs on an existing PostgreSQL server given by URL, with --fresh recreating its database', async () => {
    const hostDir = await makeTempDataDir('host');
    dataDirs.push(hostDir);
    const host = await startStackProcess({ dataDir: hostDir, migrations: stackMigrations });
    const externalUrl = new URL(host.info.dbUrl);
    externalUrl.pathname = '/markbook_external';
    const guestDir = await makeTempDataDir('guest');
    dataDirs.push(guestDir);
    try {
      const guest = await startStackProcess({
        dataDir: guestDir,
        dbUrl: externalUrl.toString(),
        migrations: stackMigrations,
        seed: stackSeed,
        fresh: true,
      });
      try {
        expect(guest.info.dbUrl).toBe(externalUrl.toString());
        expect(await query(guest.info.dbUrl, 'select body from public.notes')).toEqual([{ body: 'seeded' }]);
        const roles = await query<{ rolname: string }>(
          guest.info.dbUrl,
          `select rolname from pg_roles where rolname in ('anon', 'authenticated', 'service_role', 'authenticator') order by 1`,
        );
        expect(roles.map((row) => row.rolname)).toEqual(['anon', 'authenticated', 'authenticator', 'service_role']);
        expect((await fetch(`${guest.info.apiUrl}/health`)).status).toBe(200);
      } finally {
        expect(await guest.stop()).toBe(0);
      }
    } finally {
      await host.stop();
    }
  });
});
