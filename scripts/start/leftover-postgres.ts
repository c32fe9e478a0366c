/**
 * If the stack process dies abruptly (SIGKILL, crash), its embedded PostgreSQL keeps
 * running. After the stack has gone, stop a postmaster still recorded in the cluster's
 * postmaster.pid (fast shutdown, then SIGKILL), so npm start never leaves one behind.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// Fast shutdown of an idle local cluster takes well under a second; be generous.
const FAST_SHUTDOWN_GRACE_MS = 5_000;
const POLL_MS = 50;

function isPostgres(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
  } catch {
    // No /proc (not Linux): trust postmaster.pid and the liveness check.
    return isAlive(pid);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((resolveWait) => setTimeout(resolveWait, POLL_MS));
  }
  return !isAlive(pid);
}

/** Returns the pid it stopped, or null when nothing was left running. */
export async function stopLeftoverPostgres(dataDir: string): Promise<number | null> {
  const pidFile = join(dataDir, 'postgres', 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 1 || !isAlive(pid) || !isPostgres(pid)) return null;
  process.kill(pid, 'SIGINT'); // PostgreSQL's fast shutdown
  if (!(await waitForExit(pid, FAST_SHUTDOWN_GRACE_MS))) {
    process.kill(pid, 'SIGKILL');
    await waitForExit(pid, FAST_SHUTDOWN_GRACE_MS);
  }
  return pid;
}
