/**
 * Runs the local stack CLI (`supabase-local/cli.ts`) as a supervised child and waits for its
 * first stdout line, the JSON {apiUrl, dbUrl, anonKey, serviceRoleKey, jwtSecret}. Shared by
 * `npm start` and Playwright's global setup. (tests/support/stack-process.ts does the same
 * for vitest, but it relies on import.meta, which Playwright's CommonJS transform of this
 * non-"type": "module" package cannot load.)
 */
import { join } from 'node:path';
import { stackInfoSchema, type StackInfo } from '../../supabase-local/stack-info';
import { startChild, type SupervisedChild } from './supervised-child';

export type { StackInfo };

export type StackChild = { info: StackInfo; child: SupervisedChild };

export function spawnStack(options: { root: string; cliArgs: string[]; logFile: string; ownProcessGroup?: boolean }): SupervisedChild {
  return startChild({
    name: 'stack',
    // `--import tsx`, not the tsx CLI, whose extra process turns a clean SIGINT exit into 130.
    args: ['--import', 'tsx', join(options.root, 'supabase-local/cli.ts'), ...options.cliArgs],
    cwd: options.root,
    env: process.env,
    logFile: options.logFile,
    stdoutInTail: false,
    ownProcessGroup: options.ownProcessGroup,
  });
}

/** Resolves with the stack's info once its first line arrives; rejects if it exits first. */
export async function waitForStackInfo(stack: SupervisedChild, timeoutMs: number): Promise<StackInfo> {
  const firstLine = await new Promise<string>((resolveLine, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the local stack did not start within ${timeoutMs / 1000} s:\n${stack.tail()}`)),
      timeoutMs,
    );
    stack.onStdoutLine((line) => {
      clearTimeout(timer);
      resolveLine(line);
    });
    void stack.exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the local stack exited before it was ready:\n${stack.tail()}`));
    });
  });
  return stackInfoSchema.parse(JSON.parse(firstLine));
}
