/**
 * `npm start`: the local stack and the app, one command.
 *
 * 1. Starts the local Supabase-compatible stack (`supabase-local/cli.ts`, default ports
 *    54321 API / 54322 DB, data in `.data/supabase-local`; migrations, and the demo seed on
 *    a fresh database) as a child process — meanwhile builds Next only if the sources changed
 *    since the last build (a stamp in `.next/`), so a warm start skips the build.
 * 2. Writes `.env.local` with the stack's URL and keys, starts the report worker
 *    (`scripts/worker.ts`) and `next start` on PORT (3000).
 * 3. Waits until the app answers, then prints the URLs, the anon key and the demo logins.
 * Ctrl-C / SIGTERM stops Next and the worker, then the stack (PostgreSQL included): each child
 * runs in its own process group, so a terminal's Ctrl-C reaches only this script, which stops
 * them in that order. If either child dies,
 * the other is stopped and the script exits non-zero saying which and why.
 * Full child output goes to `logs/stack.log`, `logs/next-build.log`, `logs/next.log`,
 * `logs/worker.log`.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { watchAncestors } from './start/ancestor-watch';
import { buildIsCurrent, computeSourceStamp, forgetBuildStamp, recordBuildStamp } from './start/build-stamp';
import { readDemoLogins, type DemoLogin } from './start/demo-logins';
import { stopStalePostmaster } from '../supabase-local/postgres/stale-postmaster';
import { nextServerMemoryEnv } from './start/next-server-options';
import { isPortTaken } from './start/port-check';
import { spawnStack, waitForStackInfo, type StackInfo } from './start/stack-child';
import { describeExit, startChild, type SupervisedChild } from './start/supervised-child';
import { spawnReportWorker, waitForWorkerReady } from './start/worker-child';
import { waitForHttp } from './start/wait-for-http';

const ROOT = resolve(import.meta.dirname, '..');
const NEXT_CLI = join(ROOT, 'node_modules/next/dist/bin/next');
const LOG_DIR = join(ROOT, 'logs');
const DATA_DIR = resolve(process.env.SUPABASE_LOCAL_DATA_DIR ?? join(ROOT, '.data/supabase-local'));
const DEMO_PASSWORD = 'markbook-demo';
// Cold stack start is initdb + baseline + migrations + seed: seconds, but a loaded 2-core
// machine can stretch it; the build is ~10 s there. Both generous.
const STACK_READY_TIMEOUT_MS = 120_000;
const APP_READY_TIMEOUT_MS = 60_000;
// The worker installs/migrates graphile-worker's schema, then starts polling: seconds.
const WORKER_READY_TIMEOUT_MS = 60_000;

const portSchema = z.coerce.number().int().min(1).max(65535);

const startedAt = performance.now();
const seconds = () => ((performance.now() - startedAt) / 1000).toFixed(1);
const say = (line: string) => process.stdout.write(`${line}\n`);
const progress = (line: string) => say(`• ${line}`);

const children = new Set<SupervisedChild>();
let stopping = false;
/** Set once this run has spawned the stack (so its data folder is ours to clean up). */
let stackStarted = false;
let stopRequested: () => void = () => {};
const stopSignal = new Promise<void>((resolveStop) => (stopRequested = resolveStop));

/** Stops Next first (it talks to the stack), then the stack, then exits. */
async function shutdown(exitCode: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    stopRequested();
    const next = [...children].filter((child) => child.name !== 'stack');
    await Promise.all(next.map((child) => child.stop('SIGTERM')));
    const stack = [...children].find((child) => child.name === 'stack');
    // The stack CLI stops PostgreSQL cleanly on SIGINT.
    if (stack) await stack.stop('SIGINT');
    // A stack we started that died abruptly leaves its PostgreSQL running: stop that too.
    if (stackStarted && !process.env.SUPABASE_LOCAL_DB_URL) {
      const leftover = await stopStalePostmaster(join(DATA_DIR, 'postgres')).catch(() => undefined);
      if (leftover !== undefined) say(`stopped PostgreSQL left running by the stack (pid ${leftover})`);
    }
  }
  process.exit(exitCode);
}

function supervise(child: SupervisedChild, what: string): void {
  children.add(child);
  void child.exited.then(async (exit) => {
    children.delete(child);
    if (stopping) return;
    process.stderr.write(
      `\n✖ ${what} ${describeExit(exit)} — stopping everything.\n` +
        `--- last output of ${child.name} (full log in logs/) ---\n${child.tail()}\n`,
    );
    await shutdown(1);
  });
}

function onSignal(signal: NodeJS.Signals): void {
  if (stopping) return;
  say(`\n${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping the app and the local stack…`);
  void shutdown(0).catch(() => process.exit(1));
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
process.on('SIGHUP', onSignal);
watchAncestors((pid) => {
  if (stopping) return;
  say(`\nthe process that started npm start (pid ${pid}) is gone: stopping the app and the local stack…`);
  void shutdown(0).catch(() => process.exit(1));
});

async function startStackChild(): Promise<StackInfo> {
  const freshDatabase = !existsSync(join(DATA_DIR, 'postgres'));
  progress(
    freshDatabase
      ? 'starting the local stack (first run: creating the database, migrations, demo seed)…'
      : 'starting the local stack…',
  );
  const stack = spawnStack({ root: ROOT, cliArgs: ['--data-dir', DATA_DIR], logFile: join(LOG_DIR, 'stack.log'), ownProcessGroup: true });
  stackStarted = true;
  supervise(stack, 'The local stack (supabase-local)');
  const info = await waitForStackInfo(stack, STACK_READY_TIMEOUT_MS);
  progress(`local stack ready on ${info.apiUrl} (${seconds()} s)`);
  return info;
}

async function startWorker(info: StackInfo): Promise<void> {
  progress('starting the report worker…');
  const worker = spawnReportWorker({ root: ROOT, info, logFile: join(LOG_DIR, 'worker.log'), ownProcessGroup: true });
  worker.onStderrLine((line) => process.stderr.write(`${line}\n`));
  supervise(worker, 'The report worker');
  await waitForWorkerReady(worker, WORKER_READY_TIMEOUT_MS);
}

async function buildIfNeeded(): Promise<void> {
  const stamp = await computeSourceStamp(ROOT);
  if (await buildIsCurrent(ROOT, stamp)) {
    progress('app build is up to date (sources unchanged since the last build)');
    return;
  }
  const firstBuild = !existsSync(join(ROOT, '.next/BUILD_ID'));
  progress(firstBuild ? 'building the app… (first run, ~10 s)' : 'sources changed: rebuilding the app… (~10 s)');
  await forgetBuildStamp(ROOT);
  const build = startChild({
    name: 'next build',
    args: [NEXT_CLI, 'build'],
    cwd: ROOT,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    logFile: join(LOG_DIR, 'next-build.log'),
    ownProcessGroup: true,
  });
  children.add(build);
  const exit = await build.exited;
  children.delete(build);
  if (stopping) return;
  if (exit.code !== 0) {
    throw new Error(`next build ${describeExit(exit)}:\n${build.tail()}\n(full output in logs/next-build.log)`);
  }
  // Recorded as of now: `next build` may itself rewrite tsconfig.json (it adds its types).
  await recordBuildStamp(ROOT, await computeSourceStamp(ROOT));
  progress(`app built (${seconds()} s)`);
}

async function writeEnvLocal(info: StackInfo): Promise<void> {
  await writeFile(
    join(ROOT, '.env.local'),
    [
      '# Written by `npm start` for the local stack; rewritten on every start (git-ignored).',
      '# To use a hosted Supabase project instead, set these in the environment (see README).',
      `SUPABASE_URL=${info.apiUrl}`,
      `SUPABASE_ANON_KEY=${info.anonKey}`,
      `SUPABASE_SERVICE_ROLE_KEY=${info.serviceRoleKey}`,
      `SUPABASE_DB_URL=${info.dbUrl}`,
      '',
    ].join('\n'),
  );
}

async function startNext(info: StackInfo, port: number): Promise<void> {
  progress(`starting the app on port ${port}…`);
  const next = startChild({
    name: 'next start',
    args: [NEXT_CLI, 'start', '--port', String(port)],
    cwd: ROOT,
    env: {
      ...process.env,
      NEXT_TELEMETRY_DISABLED: '1',
      // Memory settings measured for the server's RSS (scripts/start/next-server-options.ts).
      ...nextServerMemoryEnv(),
      PORT: String(port),
      SUPABASE_URL: info.apiUrl,
      SUPABASE_ANON_KEY: info.anonKey,
      SUPABASE_SERVICE_ROLE_KEY: info.serviceRoleKey,
    },
    logFile: join(LOG_DIR, 'next.log'),
    ownProcessGroup: true,
  });
  // Server-side errors belong on the console while developing; the banner does not.
  next.onStderrLine((line) => process.stderr.write(`[next] ${line}\n`));
  supervise(next, 'The Next.js server');
  await waitForHttp(`http://127.0.0.1:${port}/login`, APP_READY_TIMEOUT_MS, Promise.race([stopSignal, next.exited]));
}

function printSummary(info: StackInfo, port: number, logins: DemoLogin[]): void {
  const pad = (text: string, width: number) => text.padEnd(width);
  const lines = [
    '',
    'Markbook Live is running.',
    '',
    `  App       http://localhost:${port}`,
    `  API       ${info.apiUrl}`,
    `  Anon key  ${info.anonKey}`,
    `  Database  ${info.dbUrl}`,
    '',
  ];
  if (logins.length > 0) {
    const emailWidth = Math.max(...logins.map((login) => login.email.length)) + 2;
    lines.push(`  Demo logins (password: ${DEMO_PASSWORD})`);
    for (const login of logins) {
      const role = login.role.replaceAll('_', ' ');
      lines.push(`    ${pad(login.email, emailWidth)}${pad(role, 20)}${login.department ?? ''}`.trimEnd());
    }
  } else {
    lines.push('  No demo logins in this database (the seed loads only on a fresh database).');
  }
  lines.push('', `Ready in ${seconds()} s. Press Ctrl-C to stop.`, '');
  say(lines.join('\n'));
}

async function main(): Promise<void> {
  const portParse = portSchema.safeParse(process.env.PORT ?? 3000);
  if (!portParse.success) throw new Error(`PORT must be a TCP port number, got "${process.env.PORT}"`);
  const port = portParse.data;
  await mkdir(LOG_DIR, { recursive: true });
  say('Starting Markbook Live (local stack + app)…');
  // A second `npm start` must not touch the first one's database folder or ports.
  const apiPort = portSchema.parse(process.env.SUPABASE_LOCAL_PORT ?? 54321);
  if (await isPortTaken(apiPort)) {
    throw new Error(
      `port ${apiPort} (the local stack's API) is already in use — is npm start or \`npm run stack\` already running? Stop it first.`,
    );
  }
  if (await isPortTaken(port)) throw new Error(`port ${port} is already in use; stop what holds it or set PORT=<free port>.`);

  // The stack and the build are independent: run them side by side.
  const [info] = await Promise.all([startStackChild(), buildIfNeeded()]);
  if (stopping) return;
  await writeEnvLocal(info);
  await Promise.all([startWorker(info), startNext(info, port)]);
  if (stopping) return;
  const logins = await readDemoLogins(info.dbUrl).catch((error: unknown) => {
    process.stderr.write(`(could not read the demo logins: ${error instanceof Error ? error.message : String(error)})\n`);
    return [];
  });
  printSummary(info, port, logins);
}

main().catch(async (error: unknown) => {
  if (stopping) return;
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`\n✖ npm start failed: ${message}\n`);
  await shutdown(1);
});
