/**
 * Runs `scripts/seed-large.ts` as a child exactly as `npm run seed:large` does, against a
 * given database, with its progress on this process's stderr. Returns that stderr (the
 * benches quote its figures). Shared by the benches that start their own stack.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export async function runSeedLarge(root: string, dbUrl: string, options: { pupils: number; seed: number }): Promise<string> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'scripts/seed-large.ts'), `--pupils=${options.pupils}`, `--seed=${options.seed}`, `--db-url=${dbUrl}`],
    { cwd: root, stdio: ['ignore', 'inherit', 'pipe'] },
  );
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    log += chunk.toString();
    process.stderr.write(chunk);
  });
  const code = await new Promise<number | null>((resolveExit) => child.once('exit', resolveExit));
  if (code !== 0) throw new Error(`seed:large exited with ${code}`);
  return log;
}
