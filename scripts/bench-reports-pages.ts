/**
 * `tsx scripts/bench-reports-pages.ts`: figures for the live report pages, written to
 * specs/reports/pages.md. Measures, against a running stack (SUPABASE_URL, SUPABASE_ANON_KEY;
 * BENCH_EMAIL / BENCH_PASSWORD sign in, default the head of science):
 *   - the snapshot loaders behind /reports/groups/[groupId] and /reports/[pupilId]
 *     (lib/reports/report-snapshot.ts, the same calls the pages make, without React's
 *     render), cached versus REPORTS_SOURCE=live, interleaved in one run, p50/p95;
 *   - the CSV export of BENCH_EXPORT_GROUP (or every readable group), as BENCH_EXPORT_EMAIL
 *     (default BENCH_EMAIL): run in a separate process doing only the export, with the code
 *     the route handler runs (readExportRows → csvNodeStream, CSV to the parent through a
 *     pipe, as a server writes it to a socket); this process samples THAT process's RSS
 *     (/proc/<pid>/status VmRSS) every 50 ms and reports rows/s and the peak.
 * Figures, not assertions: it prints and writes them; tests assert behaviour elsewhere.
 */
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createClient } from '@supabase/supabase-js';
import { csvNodeStream } from '@/lib/reports/export/export-csv';
import { readExportRows } from '@/lib/reports/export/export-rows';
import { loadReportSnapshot } from '@/lib/reports/report-snapshot';
import type { Database } from '@/lib/supabase/database.types';

const ROOT = resolve(import.meta.dirname, '..');
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 40);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}
const ms = (value: number) => `${value.toFixed(1)} ms`;
const RSS_SAMPLE_MS = 50;

async function signIn(url: string, anonKey: string, email: string) {
  const client = createClient<Database>(url, anonKey, { auth: { persistSession: false, autoRefreshToken: false } });
  const { error } = await client.auth.signInWithPassword({ email, password: process.env.BENCH_PASSWORD ?? 'markbook-demo' });
  if (error) throw new Error(`cannot sign in as ${email}`);
  return client;
}

/** The child: sign in, then stream the export to stdout; a JSON line of figures on stderr. */
async function exportChild(url: string, anonKey: string): Promise<void> {
  const client = await signIn(url, anonKey, process.env.BENCH_EXPORT_EMAIL!);
  const group = process.env.BENCH_EXPORT_GROUP;
  const scope = group ? { groupId: group } : { departmentId: null };
  let rows = 0;
  const started = performance.now();
  const csv = csvNodeStream(readExportRows(client, scope), { onRow: () => (rows += 1) });
  for await (const chunk of csv) {
    if (!process.stdout.write(chunk as Buffer)) await new Promise((done) => process.stdout.once('drain', done));
  }
  const seconds = (performance.now() - started) / 1000;
  process.stderr.write(`${JSON.stringify({ rows, seconds })}\n`);
}

async function vmRssBytes(pid: number): Promise<number | null> {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(await readFile(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null; // exited
  }
}

type ExportFigures = { rows: number; seconds: number; bytes: number; peakRss: number; startRss: number };

/** Runs the export child and samples its RSS from here. */
async function measureExport(email: string): Promise<ExportFigures> {
  const child = spawn(process.execPath, ['--import', 'tsx', __filename], {
    env: { ...process.env, BENCH_EXPORT_CHILD: '1', BENCH_EXPORT_EMAIL: process.env.BENCH_EXPORT_EMAIL ?? email },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let peakRss = 0;
  let startRss = 0;
  let sampling = Promise.resolve();
  const sampler = setInterval(() => {
    sampling = sampling.then(async () => {
      const rss = await vmRssBytes(child.pid!);
      if (rss !== null) {
        if (startRss === 0) startRss = rss;
        peakRss = Math.max(peakRss, rss);
      }
    });
  }, RSS_SAMPLE_MS);
  let bytes = 0;
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (bytes += chunk.length));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((done) => child.on('close', done));
  clearInterval(sampler);
  await sampling;
  if (code !== 0) throw new Error(`export child exited ${code}: ${stderr}`);
  const { rows, seconds } = JSON.parse(stderr.trim().split('\n').pop()!) as { rows: number; seconds: number };
  return { rows, seconds, bytes, peakRss, startRss };
}

async function main(): Promise<void> {
  const url = process.env.SUPABASE_URL;
  const anonKey = process.env.SUPABASE_ANON_KEY;
  if (!url || !anonKey) throw new Error('set SUPABASE_URL and SUPABASE_ANON_KEY (a running stack)');
  if (process.env.BENCH_EXPORT_CHILD === '1') return exportChild(url, anonKey);
  const email = process.env.BENCH_EMAIL ?? 'hod.science@markbook.test';
  const client = await signIn(url, anonKey, email);

  const overview = await loadReportSnapshot(client, { kind: 'overview' });
  const groupId = process.env.BENCH_GROUP ?? overview?.groups[0]?.id;
  const pupilId = process.env.BENCH_PUPIL ?? overview?.unitRows.find((row) => groupId && row.groupIds.includes(groupId))?.pupilId;
  if (!groupId || !pupilId) throw new Error('no readable group/pupil with cached rows');

  const timings: Record<string, number[]> = { 'group cache': [], 'group live': [], 'pupil cache': [], 'pupil live': [] };
  for (let i = 0; i < ITERATIONS; i += 1) {
    for (const source of ['cache', 'live'] as const) {
      let start = performance.now();
      await loadReportSnapshot(client, { kind: 'group', groupId }, source);
      timings[`group ${source}`]!.push(performance.now() - start);
      start = performance.now();
      await loadReportSnapshot(client, { kind: 'pupil', pupilId }, source);
      timings[`pupil ${source}`]!.push(performance.now() - start);
    }
  }

  const exported = await measureExport(email);
  const mb = (value: number) => Math.round(value / 2 ** 20);

  const lines = [
    '# Report pages and export: measured figures',
    '',
    `Run ${new Date().toISOString()} by \`scripts/bench-reports-pages.ts\` as ${email}; ${ITERATIONS} interleaved`,
    `iterations per case; group ${groupId}, pupil ${pupilId}. Times are the page snapshot loaders (all RPCs of`,
    'one page load, in parallel, through the local API gateway), not the React render.',
    '',
    '| case | p50 | p95 |',
    '|---|---|---|',
    ...Object.entries(timings).map(([name, values]) => `| ${name} | ${ms(percentile(values, 50))} | ${ms(percentile(values, 95))} |`),
    '',
    `Export (${process.env.BENCH_EXPORT_GROUP ? `group ${process.env.BENCH_EXPORT_GROUP}` : 'every readable group'}, as ${process.env.BENCH_EXPORT_EMAIL ?? email}, in a separate process):`,
    `${exported.rows} rows, ${(exported.bytes / 2 ** 20).toFixed(1)} MiB CSV in ${exported.seconds.toFixed(2)} s = ${Math.round(exported.rows / exported.seconds)} rows/s;`,
    `RSS of the exporting process (VmRSS every ${RSS_SAMPLE_MS} ms): ${mb(exported.startRss)} MB at start, peak ${mb(exported.peakRss)} MB.`,
    '',
  ];
  const text = lines.join('\n');
  process.stdout.write(`${text}\n`);
  // BENCH_WRITE=1 replaces specs/reports/pages.md with this run (keep the notes there by hand).
  if (process.env.BENCH_WRITE === '1') await writeFile(join(ROOT, 'specs/reports/pages.md'), text);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
