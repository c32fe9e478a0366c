/**
 * The memory settings `npm start` gives its `next start` (scripts/start.ts), and which the page
 * bench (scripts/bench-reports-pages.ts) uses to measure that same server. Why, measured on the
 * real server exporting 100,000 rows eight times in a row (specs/reports/pages.md):
 *
 * - --max-semi-space-size=4: V8 sizes the young generation from the machine's memory; on a 24 GB
 *   machine it grows to 2 × 64 MB under any sustained request load and stays resident (freed
 *   young pages are kept for reuse): peak RSS 184-301 MB with default flags against an idle
 *   server of ~110 MB. Capped at 4 MB per semi-space it is 8 MB.
 * - --max-old-space-size=384: V8 picks how far the old generation may grow before a full GC from
 *   the heap's maximum (a factor of up to 4 of the live size on a large machine, ~1.35 at a
 *   384 MB maximum), so with the default the garbage each export promotes piles up for several
 *   exports: 141-199 MB over eight runs with the young generation capped, 141-147 MB with both.
 *   It is also a hard cap on the JavaScript heap: the heaviest page we have (/reports as admin
 *   over the 110,000-row test cohort, a 50 MB response) still renders under it.
 *
 * - --v8-pool-size=1: V8's helper threads (Node starts four) run concurrent marking, parallel
 *   scavenges and background compilation. On a 2-core machine that also runs PostgreSQL and the
 *   API, four helpers marking the heap beside the request being served (75-120 ms of CPU per
 *   full GC, --trace-gc-nvp) made the group page's tail. With one helper, measured in session 5
 *   on one build, servers side by side, 150 requests each interleaved: group page p95
 *   59.2 -> 49.2 ms (p50 32.8 -> 32.2 ms); the export's peak RSS 136-141 MB over six runs in a
 *   row, twice, at 114,000-139,000 rows/s. (Marking on the main thread instead,
 *   --no-concurrent-marking, gave the page the same p95 but the export 144-157 MB.)
 * - MALLOC_ARENA_MAX=2 (glibc; ignored elsewhere): each thread that allocates natively (V8's
 *   GC helpers, libuv's pool for zlib and crypto) otherwise gets its own malloc arena, up to 8 per
 *   core, and freed native memory stays in those arenas: with the two heap settings above the
 *   export peaked at 148-150 MB (its target is 150), with this too at 140-141 MB, the same morning
 *   (five and eight in a row). Page latency unchanged within the noise (A/B, 100 requests).
 *
 * Throughput is unchanged within the noise of this shared machine (67,000-139,000 rows/s).
 *
 * The price is paid by big pages, in garbage-collection pauses. Session 4, before
 * --v8-pool-size=1 and the page's own allocation cuts: the large seed's group report (120 × 12)
 * p50 37.7 -> 41.1 ms, p95 55.2 -> 75.0 ms with the heap settings (A/B, 100 requests each).
 * Session 5, all of these settings against V8's defaults, one build, two servers side by side,
 * 150 requests each interleaved: group page p50 25.9 -> 27.2 ms, p95 33.8 -> 38.3 ms; pupil page
 * p50 15.4 -> 16.3 ms, p95 23.3 -> 21.1 ms.
 * A larger young generation costs less there but misses the export's target
 * (--max-semi-space-size=8: 148-159 MB; =16: 166-172 MB; =6 likewise), and so does a larger
 * old generation (=768: 141-156 MB). Running the export in a worker thread with its own small
 * heap, so the pages could keep V8's defaults, was tried and measured worse: 172 MB with these
 * settings, 180-240 MB without (specs/reports/pages.md).
 * Drop these settings if page latency matters more than the server's memory.
 *
 * The heap settings go in NODE_OPTIONS before the caller's own, so a NODE_OPTIONS set by hand
 * still wins; a MALLOC_ARENA_MAX set by hand is kept.
 */
export const NEXT_SERVER_NODE_OPTIONS = ['--max-semi-space-size=4', '--max-old-space-size=384', '--v8-pool-size=1'] as const;
export const NEXT_SERVER_MALLOC_ARENA_MAX = '2';

/** NODE_OPTIONS for the app server: ours first, then whatever the environment already had. */
export function nextServerNodeOptions(existing: string | undefined = process.env.NODE_OPTIONS): string {
  return [...NEXT_SERVER_NODE_OPTIONS, existing?.trim()].filter(Boolean).join(' ');
}

/** The app server's memory environment: NODE_OPTIONS as above and glibc's arena cap unless already set. */
export function nextServerMemoryEnv(env: Record<string, string | undefined> = process.env): { NODE_OPTIONS: string; MALLOC_ARENA_MAX: string } {
  return { NODE_OPTIONS: nextServerNodeOptions(env.NODE_OPTIONS), MALLOC_ARENA_MAX: env.MALLOC_ARENA_MAX || NEXT_SERVER_MALLOC_ARENA_MAX };
}
