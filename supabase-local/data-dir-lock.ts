/**
 * One running stack per data folder. The lock file holds the owner's pid: a live owner
 * means "in use" (refuse, rather than stop its PostgreSQL); a dead one means a killed run,
 * whose leftovers the new stack may clean up.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isAlive } from './postgres/stale-postmaster';

const LOCK_FILE = 'stack.pid';

export class DataDirInUseError extends Error {}

export async function lockDataDir(dataDir: string): Promise<{ release(): Promise<void> }> {
  const path = join(dataDir, LOCK_FILE);
  const owner = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
  if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) {
    throw new DataDirInUseError(`the data folder ${dataDir} is in use by a running stack (pid ${owner}); stop it first or pass another --data-dir`);
  }
  await writeFile(path, `${process.pid}\n`);
  return { release: () => rm(path, { force: true }) };
}
