/**
 * A child process the start script owns: spawned with the project's Node, its output
 * captured (all of it to a log file, the last lines in memory for error messages), and a
 * `stop()` that signals it and waits for it to exit (SIGKILL after a grace period).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';

const TAIL_LINES = 40;
// How long a child gets to exit after its stop signal before SIGKILL: PostgreSQL's clean
// shutdown plus the gateway's sockets take well under this.
const STOP_GRACE_MS = 15_000;

export type ChildExit = { code: number | null; signal: NodeJS.Signals | null };

export type SupervisedChild = {
  name: string;
  process: ChildProcess;
  exited: Promise<ChildExit>;
  /** Last output lines, for error messages. */
  tail(): string;
  onStdoutLine(listener: (line: string) => void): void;
  onStderrLine(listener: (line: string) => void): void;
  stop(signal?: NodeJS.Signals): Promise<ChildExit>;
};

export function startChild(options: {
  name: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
  /** Keep stdout out of tail() (e.g. the stack's first line carries its secret keys). */
  stdoutInTail?: boolean;
  /**
   * Own process group: a terminal's Ctrl-C then reaches only the parent, which stops its
   * children in order (otherwise every process gets SIGINT at once and PostgreSQL can stop
   * under the worker and Next). The parent must stop the child itself.
   */
  ownProcessGroup?: boolean;
}): SupervisedChild {
  const child = spawn(process.execPath, options.args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.ownProcessGroup ?? false,
  });
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const lines: string[] = [];
  const stdoutListeners: Array<(line: string) => void> = [];
  const stderrListeners: Array<(line: string) => void> = [];
  const remember = (line: string, inTail = true) => {
    log.write(`${line}\n`);
    if (!inTail) return;
    lines.push(line);
    if (lines.length > TAIL_LINES) lines.shift();
  };
  createInterface({ input: child.stdout! }).on('line', (line) => {
    remember(line, options.stdoutInTail ?? true);
    for (const listener of stdoutListeners) listener(line);
  });
  createInterface({ input: child.stderr! }).on('line', (line) => {
    remember(line);
    for (const listener of stderrListeners) listener(line);
  });
  const exited = new Promise<ChildExit>((resolveExit) => {
    child.once('error', (error) => {
      remember(`failed to start: ${error.message}`);
      resolveExit({ code: 1, signal: null });
    });
    child.once('exit', (code, signal) => resolveExit({ code, signal }));
  }).finally(() => log.end());

  return {
    name: options.name,
    process: child,
    exited,
    tail: () => lines.join('\n'),
    onStdoutLine: (listener) => stdoutListeners.push(listener),
    onStderrLine: (listener) => stderrListeners.push(listener),
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) {
        // With its own group, the whole group: what `next start` or tsx spawn goes too.
        const send = (which: NodeJS.Signals) => {
          try {
            if (options.ownProcessGroup && child.pid !== undefined) process.kill(-child.pid, which);
            else child.kill(which);
          } catch {
            // Already gone.
          }
        };
        send(signal);
        const timer = setTimeout(() => send('SIGKILL'), STOP_GRACE_MS);
        const result = await exited;
        clearTimeout(timer);
        return result;
      }
      return exited;
    },
  };
}

export function describeExit(exit: ChildExit): string {
  return exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
}
