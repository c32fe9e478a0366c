/**
 * Runs the report worker (`scripts/worker.ts`) as a supervised child against a running
 * stack, and waits for its "ready" line. Shared by `npm start` and Playwright's global setup,
 * so every local run recalculates reports exactly as the hosted deployment would.
 */
import { join } from 'node:path';
import type { StackInfo } from './stack-child';
import { startChild, type SupervisedChild } from './supervised-child';

export function spawnReportWorker(options: { root: string; info: StackInfo; logFile: string; ownProcessGroup?: boolean }): SupervisedChild {
  return startChild({
    name: 'report worker',
    args: ['--import', 'tsx', join(options.root, 'scripts/worker.ts')],
    cwd: options.root,
    env: {
      ...process.env,
      SUPABASE_URL: options.info.apiUrl,
      SUPABASE_SERVICE_ROLE_KEY: options.info.serviceRoleKey,
      DATABASE_URL: options.info.dbUrl,
    },
    logFile: options.logFile,
    ownProcessGroup: options.ownProcessGroup,
  });
}

export async function waitForWorkerReady(worker: SupervisedChild, timeoutMs: number): Promise<void> {
  await new Promise<void>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`the report worker was not ready within ${timeoutMs / 1000} s:\n${worker.tail()}`)), timeoutMs);
    worker.onStdoutLine((line) => {
      if (!line.includes('] ready')) return;
      clearTimeout(timer);
      resolveReady();
    });
    void worker.exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the report worker exited before it was ready:\n${worker.tail()}`));
    });
  });
}
