/**
 * Vitest global setup factory: one local stack per test project, started through the CLI
 * with that project's migrations, its connection facts handed to tests via `inject`.
 */
import type { TestProject } from 'vitest/node';
import { removeDataDir, startStackProcess, type StackInfo } from './stack-process';

declare module 'vitest' {
  export interface ProvidedContext {
    stack: StackInfo;
  }
}

export function stackGlobalSetup(options: { migrations?: string; seed?: string }) {
  return async function setup(project: TestProject) {
    const stack = await startStackProcess({ ...options, fresh: true });
    project.provide('stack', stack.info);
    return async () => {
      const code = await stack.stop();
      await removeDataDir(stack.dataDir);
      if (code !== 0) throw new Error(`stack exited with ${code}:\n${stack.logs.join('\n')}`);
    };
  };
}
