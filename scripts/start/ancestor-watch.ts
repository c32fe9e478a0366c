/**
 * Notices when the processes that launched us die. `npm start` runs `sh -c "tsx …"`; on a
 * SIGTERM, npm signals the shell, which dies without passing it on, leaving this script
 * (and the stack and Next under it) running as orphans. So we poll our ancestors (read from
 * /proc, Linux only; elsewhere this is a no-op) and treat the loss of any as a stop request.
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

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function watchAncestors(onLost: (pid: number) => void): () => void {
  const ancestors: number[] = [];
  for (let pid = parentOf(process.pid); pid !== null && pid > 1 && ancestors.length < 16; pid = parentOf(pid)) {
    ancestors.push(pid);
  }
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
