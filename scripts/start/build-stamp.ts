/**
 * Decides whether `next build` is needed: a SHA-256 over the paths and contents of every
 * file the Next build reads (routes, components, lib, stores, config, lockfile). The stamp
 * lives inside `.next/`, so deleting the build also forgets the stamp.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

const SOURCE_DIRS = ['app', 'components', 'lib', 'stores', 'public'];
const SOURCE_FILES = ['proxy.ts', 'next.config.mjs', 'tsconfig.json', 'package-lock.json', 'postcss.config.mjs'];
const STAMP_FILE = '.next/markbook-build-stamp';

async function listFiles(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

export async function computeSourceStamp(root: string): Promise<string> {
  const files = (await Promise.all(SOURCE_DIRS.map((dir) => listFiles(join(root, dir)))))
    .flat()
    .concat(SOURCE_FILES.map((file) => join(root, file)).filter((file) => existsSync(file)))
    .map((file) => relative(root, file))
    .sort();
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(`${file}\0`);
    hash.update(await readFile(join(root, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** True when `.next` holds a complete build of exactly these sources. */
export async function buildIsCurrent(root: string, stamp: string): Promise<boolean> {
  const stampPath = join(root, STAMP_FILE);
  if (!existsSync(join(root, '.next/BUILD_ID')) || !existsSync(stampPath)) return false;
  return (await readFile(stampPath, 'utf8')).trim() === stamp;
}

export async function recordBuildStamp(root: string, stamp: string): Promise<void> {
  await writeFile(join(root, STAMP_FILE), `${stamp}\n`);
}

/** Call before building: a build that fails half-way must not look current afterwards. */
export async function forgetBuildStamp(root: string): Promise<void> {
  await rm(join(root, STAMP_FILE), { force: true });
}
