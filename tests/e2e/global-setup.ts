/**
 * Starts what the browser tests talk to: a fresh local stack (project migrations + demo
 * seed) through the CLI on free ports in a throwaway data folder, and `next start` against
 * it on a free port, plus the report worker. Builds the app first only if its sources changed since the last build
 * (the same stamp `npm start` uses). Hands the URLs and keys to the workers through
 * process.env; the returned teardown stops Next, then the stack, and removes the folder.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { FullConfig } from '@playwright/test';
import { buildAppIfStale } from '../../scripts/start/build-app-if-stale';
import { stopStalePostmaster } from '../../supabase-local/postgres/stale-postmaster';
import { spawnStack, waitForStackInfo } from '../../scripts/start/stack-child';
import { startChild } from '../../scripts/start/supervised-child';
import { waitForHttp } from '../../scripts/start/wait-for-http';
import { spawnReportWorker, waitForWorkerReady } from '../../scripts/start/worker-child';
import { findFreePort } from '../../supabase-local/free-port';
import { E2E_ENV } from './fixtures/e2e-env';

// Cold stack start (initdb, baseline, all migrations, seed) on a loaded 2-core machine.
const STACK_READY_TIMEOUT_MS = 120_000;
const APP_READY_TIMEOUT_MS = 60_000;

export default async function globalSetup(config: FullConfig): Promise<() => Promise<void>> {
  const root = config.configFile ? dirname(config.configFile) : process.cwd();
  await mkdir(join(root, '.tmp'), { recursive: true });
  const dataDir = await mkdtemp(join(root, '.tmp', 'e2e-'));
  const stack = spawnStack({
    root,
    cliArgs: [
      '--port', '0',
      '--db-port', '0',
      '--data-dir', dataDir,
      '--fresh',
      '--migrations', join(root, 'supabase/migrations'),
      '--seed', join(root, 'supabase/seed.sql'),
    ],
    logFile: join(dataDir, 'stack.log'),
  });
  let next: ReturnType<typeof startChild> | undefined;
  let worker: ReturnType<typeof startChild> | undefined;
  const teardown = async () => {
    await Promise.all([next?.stop('SIGTERM'), worker?.stop('SIGTERM')]);
    await stack.stop('SIGINT');
    await stopStalePostmaster(join(dataDir, 'postgres'));
    await rm(dataDir, { recursive: true, force: true });
  };

  try {
    const [info] = await Promise.all([waitForStackInfo(stack, STACK_READY_TIMEOUT_MS), buildAppIfStale(root, (line) => process.stdout.write(`[e2e] ${line}\n`))]);
    // Reports recalculate as in production: a real worker process runs the queue.
    worker = spawnReportWorker({ root, info, logFile: join(dataDir, 'worker.log') });
    const workerReady = waitForWorkerReady(worker, APP_READY_TIMEOUT_MS);
    const port = await findFreePort();
    next = startChild({
      name: 'next start',
      args: [join(root, 'node_modules/next/dist/bin/next'), 'start', '--port', String(port), '--hostname', '127.0.0.1'],
      cwd: root,
      env: {
        ...process.env,
        NEXT_TELEMETRY_DISABLED: '1',
        SUPABASE_URL: info.apiUrl,
        SUPABASE_ANON_KEY: info.anonKey,
        SUPABASE_SERVICE_ROLE_KEY: info.serviceRoleKey,
      },
      logFile: join(dataDir, 'next.log'),
    });
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitForHttp(`${baseUrl}/login`, APP_READY_TIMEOUT_MS, next.exited).catch((error: unknown) => {
      throw new Error(`next start did not become ready: ${String(error)}\n${next?.tail() ?? ''}`);
    });
    await workerReady;
    process.env[E2E_ENV.baseUrl] = baseUrl;
    process.env[E2E_ENV.apiUrl] = info.apiUrl;
    process.env[E2E_ENV.anonKey] = info.anonKey;
    process.env[E2E_ENV.serviceRoleKey] = info.serviceRoleKey;
    return teardown;
  } catch (error) {
    await teardown();
    throw error;
  }
}
