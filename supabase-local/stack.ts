/**
 * Starts the whole local stack in-process: PostgreSQL (embedded, or an existing server by
 * URL), the Supabase baseline, migrations and seed, then the gateway's HTTP server with
 * REST, Auth and Realtime mounted. `stop()` undoes all of it in reverse order.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { loadProjectConfig } from './config/project-config';
import { startEmbeddedCluster, type EmbeddedCluster } from './postgres/embedded-cluster';
import { applyBaseline, applyMigrations, applySeedOnce } from './postgres/migrations';
import { installJobQueueSchema } from './postgres/job-queue-schema';
import { lockDataDir } from './data-dir-lock';
import { findFreePort } from './free-port';
import type { GatewayContext } from './http/gateway-service';
import { importJwtKeys } from './keys/jwt-keys';
import { loadOrCreateProjectKeys } from './keys/project-keys';
import { createGatewayServer } from './server';
import { createRestService } from './rest';
import { createAuthService } from './auth';
import { createRealtimeService } from './realtime';

export type StackOptions = {
  /** API port; 0 picks a free one; default `[api] port` of supabase/config.toml. */
  port?: number;
  /** Use this PostgreSQL server (superuser URL) instead of the embedded one. */
  dbUrl?: string;
  /** Port of the embedded cluster; 0 picks a free one; default `[db] port` of supabase/config.toml. */
  dbPort?: number;
  dataDir: string;
  migrationsDir: string;
  /** Seed loaded once on a database that has never been seeded; null for none. */
  seedFile: string | null;
  /** Start from an empty database (and new keys). */
  fresh: boolean;
  configPath: string;
  log(line: string): void;
};

export type StackInfo = { apiUrl: string; dbUrl: string; anonKey: string; serviceRoleKey: string; jwtSecret: string };

export type RunningStack = StackInfo & { migrationsApplied: string[]; seeded: boolean; stop(): Promise<void> };

function withCredentials(url: string, user: string, password: string): string {
  const parsed = new URL(url);
  parsed.username = user;
  parsed.password = password;
  return parsed.toString();
}

function newPool(connectionString: string, max: number, log: (line: string) => void): pg.Pool {
  const pool = new pg.Pool({ connectionString, max });
  // An idle client's error (e.g. the server stopping first) must not crash the process.
  pool.on('error', (error) => log(`database pool: ${error.message}`));
  return pool;
}

/** Drops and recreates the database named in an external server's URL. */
async function recreateExternalDatabase(dbUrl: string): Promise<void> {
  const target = new URL(dbUrl);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!name || name === 'postgres') throw new Error('--fresh with --db-url needs a database other than "postgres" in the URL');
  const maintenance = new URL(dbUrl);
  maintenance.pathname = '/postgres';
  const client = new pg.Client({ connectionString: maintenance.toString() });
  await client.connect();
  try {
    const quoted = `"${name.replaceAll('"', '""')}"`;
    await client.query(`drop database if exists ${quoted} with (force)`);
    await client.query(`create database ${quoted}`);
  } finally {
    await client.end();
  }
}

export async function startStack(options: StackOptions): Promise<RunningStack> {
  const config = await loadProjectConfig(options.configPath);
  const dataDir = resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true });
  // Taken before --fresh wipes anything, so a running stack's folder is never touched.
  const lock = await lockDataDir(dataDir);
  if (options.fresh) {
    for (const entry of await readdir(dataDir)) if (entry !== 'stack.pid') await rm(join(dataDir, entry), { recursive: true, force: true });
  }
  const keys = await loadOrCreateProjectKeys(dataDir, options.log);
  const jwtKeys = await importJwtKeys(keys);

  let cluster: EmbeddedCluster | undefined;
  let dbUrl: string;
  if (options.dbUrl) {
    if (options.fresh) await recreateExternalDatabase(options.dbUrl);
    dbUrl = options.dbUrl;
  } else {
    const dbPort = (options.dbPort ?? config.db.port) || (await findFreePort());
    cluster = await startEmbeddedCluster({ clusterDir: join(dataDir, 'postgres'), port: dbPort, log: options.log });
    dbUrl = cluster.url;
  }

  const cleanups: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => options.log(`stop: ${String(error)}`));
    if (cluster) await cluster.stop();
    await lock.release();
  };

  try {
    const setup = new pg.Client({ connectionString: dbUrl });
    setup.on('error', (error) => options.log(`setup connection: ${error.message}`));
    await setup.connect();
    let migrationsApplied: string[];
    let seeded = false;
    try {
      await applyBaseline(setup, keys.authenticatorPassword);
      await installJobQueueSchema(dbUrl, options.log);
      migrationsApplied = (await applyMigrations(setup, options.migrationsDir)).applied;
      if (options.seedFile) seeded = await applySeedOnce(setup, options.seedFile);
    } finally {
      await setup.end();
    }

    const adminPool = newPool(dbUrl, 10, options.log);
    const apiPool = newPool(withCredentials(dbUrl, 'authenticator', keys.authenticatorPassword), 20, options.log);
    cleanups.push(() => adminPool.end(), () => apiPool.end());

    const context: GatewayContext = { config, keys, jwtKeys, apiPool, adminPool, dbUrl, log: options.log };
    const services = {
      rest: await createRestService(context),
      auth: await createAuthService(context),
      realtime: await createRealtimeService(context),
    };
    cleanups.push(() => services.rest.close(), () => services.auth.close(), () => services.realtime.close());

    const gateway = createGatewayServer(services, options.log);
    await new Promise<void>((resolveListen, reject) => {
      gateway.server.once('error', reject);
      gateway.server.listen(options.port ?? config.api.port, '127.0.0.1', () => resolveListen());
    });
    cleanups.push(() => gateway.close());
    const address = gateway.server.address();
    const port = typeof address === 'object' && address ? address.port : (options.port ?? config.api.port);

    return {
      apiUrl: `http://127.0.0.1:${port}`,
      dbUrl,
      anonKey: keys.anonKey,
      serviceRoleKey: keys.serviceRoleKey,
      jwtSecret: keys.jwtSecret,
      migrationsApplied,
      seeded,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
