/**
 * `next build` in the foreground (its output inherited) when the sources changed since the last
 * build, recording the build stamp afterwards. For callers that just wait for the build:
 * Playwright's global setup and the page bench. (`npm start` runs the build as a supervised
 * child it can stop on Ctrl-C instead; scripts/start.ts.)
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { buildIsCurrent, computeSourceStamp, forgetBuildStamp, recordBuildStamp } from './build-stamp';

export async function buildAppIfStale(root: string, announce: (line: string) => void): Promise<void> {
  if (await buildIsCurrent(root, await computeSourceStamp(root))) return;
  announce('building the app (sources changed since the last build)…');
  await forgetBuildStamp(root);
  const code = await new Promise<number | null>((resolveExit) => {
    const build = spawn(process.execPath, [join(root, 'node_modules/next/dist/bin/next'), 'build'], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    });
    build.once('exit', (exitCode) => resolveExit(exitCode));
  });
  if (code !== 0) throw new Error(`next build exited with ${code}`);
  // As of now: `next build` may itself rewrite tsconfig.json (it adds its types).
  await recordBuildStamp(root, await computeSourceStamp(root));
}
