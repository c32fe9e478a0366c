/**
 * A `next start` of this worktree's build for the page and export benches: started on a
 * given port against a given stack, the pid of the process that actually serves (the Next
 * CLI renames itself `next-server`; if a future Next forks a child instead, that child is
 * found through /proc), and its resident set size read from /proc/<pid>/status.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startChild, type SupervisedChild } from '../start/supervised-child';
import { waitForHttp } from '../start/wait-for-http';

// A cold `next start` answers in well under a second; a loaded 2-core machine stretches it.
const APP_READY_TIMEOUT_MS = 60_000;

export type AppServer = { name: string; baseUrl: string; pid: number; child: SupervisedChild };

export type StackEnv = { SUPABASE_URL: string; SUPABASE_ANON_KEY: string; SUPABASE_SERVICE_ROLE_KEY?: string };

async function childPids(pid: number): Promise<number[]> {
  const tasks = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  return tasks.split(/\s+/).filter(Boolean).map(Number);
}

async function commandName(pid: number): Promise<string> {
  return (await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '')).trim();
}

/** The `next-server` process at or under `pid` (breadth-first), else `pid` itself. */
export async function servingPid(pid: number): Promise<number> {
  const queue = [pid];
  while (queue.length > 0) {
    const current = queue.shift()!;
    if ((await commandName(current)).startsWith('next-server')) return current;
    queue.push(...(await childPids(current)));
  }
  return pid;
}

/** VmRSS in bytes, or null once the process is gone. */
export async function vmRssBytes(pid: number): Promise<number | null> {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(await readFile(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

export async function startAppServer(options: {
  root: string;
  name: string;
  port: number;
  stack: StackEnv;
  extraEnv?: Record<string, string>;
  /** NODE_OPTIONS for the server (npm start's: scripts/start/next-server-options.ts). */
  nodeOptions: string;
  logDir: string;
}): Promise<AppServer> {
  const child = startChild({
    name: options.name,
    args: [join(options.root, 'node_modules/next/dist/bin/next'), 'start', '--port', String(options.port), '--hostname', '127.0.0.1'],
    cwd: options.root,
    // What `npm start` passes (scripts/start.ts), heap settings included, plus the case's own.
    env: {
      ...process.env,
      NEXT_TELEMETRY_DISABLED: '1',
      NODE_OPTIONS: options.nodeOptions,
      PORT: String(options.port),
      ...options.stack,
      ...options.extraEnv,
    },
    logFile: join(options.logDir, `${options.name}.log`),
  });
  const baseUrl = `http://127.0.0.1:${options.port}`;
  await waitForHttp(`${baseUrl}/login`, APP_READY_TIMEOUT_MS, child.exited).catch((error: unknown) => {
    throw new Error(`${options.name} did not become ready: ${String(error)}\n${child.tail()}`);
  });
  return { name: options.name, baseUrl, pid: await servingPid(child.process.pid!), child };
}

/** Samples a process's VmRSS every `intervalMs` until stopped; reports the peak and the last sample. */
export function sampleRss(pid: number, intervalMs: number) {
  let peak = 0;
  let samples = 0;
  let last = 0;
  let chain = Promise.resolve();
  const timer = setInterval(() => {
    chain = chain.then(async () => {
      const rss = await vmRssBytes(pid);
      if (rss === null) return;
      samples += 1;
      last = rss;
      peak = Math.max(peak, rss);
    });
  }, intervalMs);
  return {
    async stop(): Promise<{ peak: number; last: number; samples: number }> {
      clearInterval(timer);
      await chain;
      return { peak, last, samples };
    },
  };
}
