/**
 * Starts the local stack the way users and scripts do (`supabase-local/cli.ts` as a child
 * process) on free ports in a throwaway data folder, and reads its first stdout line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { stackInfoSchema, type StackInfo } from '../../supabase-local/stack-info';

export const PROJECT_ROOT = resolve(import.meta.dirname, '../..');
// `node --import tsx` rather than the tsx CLI: the CLI wraps the program in a second process
// whose signal relay exits 130 on SIGINT, hiding the stack's own exit code.
const TSX_LOADER = ['--import', 'tsx'];
// Cold start is initdb + baseline + migrations; generous for a loaded 2-core machine.
const STACK_READY_TIMEOUT_MS = 120_000;

export { stackInfoSchema, type StackInfo };

export type StackProcess = {
  info: StackInfo;
  child: ChildProcess;
  dataDir: string;
  /** stderr lines so far (logs). */
  logs: string[];
  /** SIGINT, wait for exit; returns the exit code. */
  stop(): Promise<number | null>;
};

export type StartStackArgs = {
  migrations?: string;
  seed?: string;
  dataDir?: string;
  fresh?: boolean;
  dbUrl?: string;
  extraEnv?: Record<string, string>;
};

export async function makeTempDataDir(label: string): Promise<string> {
  // .tmp is git-ignored, so a clean clone does not have it yet.
  await mkdir(join(PROJECT_ROOT, '.tmp'), { recursive: true });
  return mkdtemp(join(PROJECT_ROOT, '.tmp', `${label}-`));
}

export async function startStackProcess(args: StartStackArgs = {}): Promise<StackProcess> {
  const dataDir = args.dataDir ?? (await makeTempDataDir('stack'));
  const cliArgs = [...TSX_LOADER, join(PROJECT_ROOT, 'supabase-local/cli.ts'), '--port', '0', '--db-port', '0', '--data-dir', dataDir];
  if (args.migrations) cliArgs.push('--migrations', args.migrations);
  if (args.seed) cliArgs.push('--seed', args.seed);
  if (args.fresh) cliArgs.push('--fresh');
  if (args.dbUrl) cliArgs.push('--db-url', args.dbUrl);
  const child = spawn(process.execPath, cliArgs, {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...args.extraEnv },
  });
  const logs: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => logs.push(line));
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));

  const firstLine = await new Promise<string>((resolveLine, reject) => {
    const timer = setTimeout(() => reject(new Error(`stack not ready after ${STACK_READY_TIMEOUT_MS} ms:\n${logs.join('\n')}`)), STACK_READY_TIMEOUT_MS);
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolveLine(line);
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`stack exited with ${code} before it was ready:\n${logs.join('\n')}`));
    });
  });
  return {
    info: stackInfoSchema.parse(JSON.parse(firstLine)),
    child,
    dataDir,
    logs,
    async stop() {
      if (child.exitCode === null) child.kill('SIGINT');
      return exited;
    },
  };
}

export async function removeDataDir(dataDir: string): Promise<void> {
  await rm(dataDir, { recursive: true, force: true });
}
