/**
 * `tsx scripts/bench-reports-pages.ts`: figures for the live report pages, written to
 * specs/reports/pages.md. Measures, against a running stack (SUPABASE_URL, SUPABASE_ANON_KEY;
 * BENCH_EMAIL / BENCH_PASSWORD sign in, default the head of science):
 *   - the snapshot loaders behind /reports/groups/[groupId] and /reports/[pupilId]
 *     (lib/reports/report-snapshot.ts, the same calls the pages make, without React's
 *     render), cached versus REPORTS_SOURCE=live, interleaved in one run, p50/p95;
 *   - the CSV export of BENCH_EXPORT_GROUP (or every readable group): rows/s and this
 *     process's peak RSS while streaming (the route handler runs the same code).
 * Figures, not assertions: it prints and writes them; tests assert behaviour elsewhere.
 */
import { writeFile } from 'node:fs/promises';
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

async function main(): Promise<void> {
  const url = process.env.SUPABASE_URL;
  const anonKey = process.env.SUPABASE_ANON_KEY;
  if (!url || !anonKey) throw new Error('set SUPABASE_URL and SUPABASE_ANON_KEY (a running stack)');
  const client = createClient<Database>(url, anonKey, { auth: { persistSession: false, autoRefreshToken: false } });
  const email = process.env.BENCH_EMAIL ?? 'hod.science@markbook.test';
  const { error } = await client.auth.signInWithPassword({ email, password: process.env.BENCH_PASSWORD ?? 'markbook-demo' });
  if (error) throw new Error(`cannot sign in as ${email}`);

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

  const exportGroup = process.env.BENCH_EXPORT_GROUP;
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  const started = performance.now();
  let rows = 0;
  let bytes = 0;
  const scope = exportGroup ? { groupId: exportGroup } : { departmentId: null };
  for await (const chunk of csvNodeStream(readExportRows(client, scope), { onRow: () => (rows += 1) })) bytes += (chunk as Buffer).length;
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);

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
    `Export: ${rows} rows, ${(bytes / 2 ** 20).toFixed(1)} MiB CSV in ${seconds.toFixed(2)} s = ${Math.round(rows / seconds)} rows/s;`,
    `peak RSS of the exporting process ${Math.round(peakRss / 2 ** 20)} MB.`,
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
