/**
 * Notices when the processes that launched us die. `npm start` runs `sh -c "tsx …"`; on a
 * SIGTERM, npm signals the shell, which dies without passing it on, leaving this script
 * (and the stack and Next under it) running as orphans. So we poll the launch chain — our
 * ancestors up to and including the `npm` process (read from /proc, Linux only; elsewhere a
 * no-op) — and treat the loss of any as a stop request. Ancestors above npm (the user's
 * shell) are not watched, so `nohup npm start &` keeps running after the shell exits.
 */
import { readFileSync } from 'node:fs';

const POLL_INTERVAL_MS = 500;

function parentOf(pid: number): number | null {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may contain spaces or parens.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number.parseInt(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] ?? '', 10);
    return Number.isInteger(ppid) ? ppid : null;
  } catch {
    return null;
  }
}

function isNpm(pid: number): boolean {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return argv.slice(0, 2).some((arg) => /(^|\/)npm(-cli\.js)?( |$)/.test(arg));
  } catch {
    return false;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function watchAncestors(onLost: (pid: number) => void): () => void {
  const chain: number[] = [];
  for (let pid = parentOf(process.pid); pid !== null && pid > 1 && chain.length < 8; pid = parentOf(pid)) {
    chain.push(pid);
  }
  const npmIndex = chain.findIndex(isNpm);
  // Without npm in the chain (e.g. `tsx scripts/start.ts`), watch only the direct parent.
  const ancestors = npmIndex >= 0 ? chain.slice(0, npmIndex + 1) : chain.slice(0, 1);
  if (ancestors.length === 0) return () => {};
  const timer = setInterval(() => {
    const lost = ancestors.find((pid) => !isAlive(pid));
    if (lost !== undefined) {
      clearInterval(timer);
      onLost(lost);
    }
  }, POLL_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
