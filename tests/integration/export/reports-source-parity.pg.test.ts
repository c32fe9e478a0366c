/**
 * REPORTS_SOURCE=live serves the same numbers as the cache, through the page snapshot
 * loaders both ways (group figures, pupil lists and summaries included): every demo group and
 * pupil the head of science and teacher C can read, and the /reports overview of a teacher,
 * the head of science and the admin. And live really
 * reads on demand: a rating saved before the cache is recalculated shows in the live
 * overview and not in the cached one (the test stack runs no worker, so the enqueued
 * recalculation waits until the test runs it).
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { saveFeedback } from '@/lib/feedback/save-feedback';
import { loadReportSnapshot, loadVisibleUnitRows } from '@/lib/reports/report-snapshot';
import type { Database } from '@/lib/supabase/database.types';
import type { GroupLevelStats, ReportSnapshot, UnitRow } from '@/stores/report-store';
import { averageFromHundredths } from '@/stores/report-store-selectors';
import { typedClientAs } from '../../fixtures/pipeline/typed-clients';
import { makeGroupWithPupils } from '../../fixtures/school/make-group-with-pupils';
import { recalculatePupil } from '../../fixtures/school/report-cache-queries';

const stack = inject('stack');
const GROUPS = ['c0000000-0000-4000-8000-000000000001', 'c0000000-0000-4000-8000-000000000002', 'c0000000-0000-4000-8000-000000000003', 'c0000000-0000-4000-8000-000000000004'];
const SCIENCE_GROUPS = GROUPS.slice(0, 3);

let db: pg.Client;
beforeAll(async () => {
  db = new pg.Client({ connectionString: stack.dbUrl });
  await db.connect();
});
afterAll(() => db.end());

async function signedIn(email: string): Promise<SupabaseClient<Database>> {
  const client = createClient<Database>(stack.apiUrl, stack.anonKey, { auth: { persistSession: false, autoRefreshToken: false } });
  const { error } = await client.auth.signInWithPassword({ email, password: 'markbook-demo' });
  if (error) throw new Error(`sign in ${email}: ${error.message}`);
  return client;
}

/** The numbers a page shows, in a stable order. */
function numbers(snapshot: ReportSnapshot | null) {
  return (snapshot?.unitRows ?? [])
    .map((r) => [r.pupilId, r.unitId, r.groupIds.join(','), r.averageRating, r.workingLevel, r.assignmentsCounted, r.criteriaRated, r.sourceVersion, r.lastFeedbackAt].join('|'))
    .sort();
}

/**
 * The demo school's part of an overview snapshot. The admin reads every department, and the
 * export test in this project writes a generated cohort straight into the cache tables (no
 * feedback behind it, by design), which only the cache can show; so the admin's two
 * snapshots are compared on the demo school's groups.
 */
function demoSchool(snapshot: ReportSnapshot): ReportSnapshot {
  const inDemo = (groupIds: string[]) => groupIds.some((id) => GROUPS.includes(id));
  return {
    ...snapshot,
    groups: snapshot.groups.filter((g) => GROUPS.includes(g.id)),
    pupils: snapshot.pupils.filter((p) => inDemo(p.groupIds)),
    groupStats: snapshot.groupStats.filter((s) => GROUPS.includes(s.groupId)),
  };
}

/**
 * The overview's aggregates recomputed here from the unit rows the viewer may read (the rows
 * the overview loaded before it had aggregates): a group counts the rows of its pupils that
 * carry it, by working level. What reports_overview_group_stats must return.
 */
function statsFromRows(rows: UnitRow[], pupils: ReportSnapshot['pupils']): GroupLevelStats[] {
  const groupsOf = new Map(pupils.map((p) => [p.pupilId, p.groupIds]));
  const byKey = new Map<string, GroupLevelStats>();
  for (const row of rows) {
    for (const groupId of row.groupIds) {
      if (!groupsOf.get(row.pupilId)?.includes(groupId)) continue;
      const key = `${groupId}|${row.workingLevel}`;
      const stats = byKey.get(key) ?? { groupId, workingLevel: row.workingLevel, rowsCounted: 0, criteriaRated: 0, weightedHundredths: 0 };
      stats.rowsCounted += 1;
      stats.criteriaRated += row.criteriaRated;
      stats.weightedHundredths += Math.round(row.averageRating * 100) * row.criteriaRated;
      byKey.set(key, stats);
    }
  }
  return [...byKey.values()].sort((a, b) => `${a.groupId}|${a.workingLevel}`.localeCompare(`${b.groupId}|${b.workingLevel}`));
}

/** One group's figures on the overview: rows counted and the weighted average. */
function groupFigures(snapshot: ReportSnapshot, groupId: string) {
  const stats = snapshot.groupStats.filter((s) => s.groupId === groupId);
  const weight = stats.reduce((sum, s) => sum + s.criteriaRated, 0);
  const hundredths = stats.reduce((sum, s) => sum + s.weightedHundredths, 0);
  return { rowsCounted: stats.reduce((sum, s) => sum + s.rowsCounted, 0), average: averageFromHundredths(hundredths, weight) };
}

async function overviewBothWays(client: SupabaseClient<Database>): Promise<{ cache: ReportSnapshot; live: ReportSnapshot }> {
  const [cache, live] = await Promise.all([
    loadReportSnapshot(client, { kind: 'overview' }, 'cache'),
    loadReportSnapshot(client, { kind: 'overview' }, 'live'),
  ]);
  if (!cache || !live) throw new Error('the overview snapshot is never null');
  return { cache, live };
}

function rowGroups(rows: UnitRow[]): Set<string> {
  return new Set(rows.flatMap((r) => r.groupIds));
}

describe('REPORTS_SOURCE=live equals cache', () => {
  test.each(['hod.science@markbook.test', 'teacher.c@markbook.test'])('%s: every group and pupil', async (email) => {
    const client = await signedIn(email);
    let compared = 0;
    for (const groupId of GROUPS) {
      const [cache, live] = await Promise.all([
        loadReportSnapshot(client, { kind: 'group', groupId }, 'cache'),
        loadReportSnapshot(client, { kind: 'group', groupId }, 'live'),
      ]);
      expect(live === null).toBe(cache === null);
      expect(numbers(live)).toEqual(numbers(cache));
      for (const pupil of cache?.pupils ?? []) {
        const [pupilCache, pupilLive] = await Promise.all([
          loadReportSnapshot(client, { kind: 'pupil', pupilId: pupil.pupilId }, 'cache'),
          loadReportSnapshot(client, { kind: 'pupil', pupilId: pupil.pupilId }, 'live'),
        ]);
        expect(numbers(pupilLive)).toEqual(numbers(pupilCache));
        compared += pupilCache?.unitRows.length ?? 0;
      }
    }
    expect(compared).toBeGreaterThan(0);
  }, 120_000);

  // Teacher A teaches 10Sc1 (co-taught) and 11Sc1; the head of science reads the three
  // science groups; the admin reads everything. Whole snapshots, rows in loader order.
  test.each([
    { email: 'teacher.a@markbook.test', groups: [GROUPS[0]!, GROUPS[2]!] },
    { email: 'hod.science@markbook.test', groups: SCIENCE_GROUPS },
  ])('overview of $email: same numbers, only their groups, and the aggregates of the rows they may read', async ({ email, groups }) => {
    const client = await signedIn(email);
    const { cache, live } = await overviewBothWays(client);
    expect(cache.groupStats.length).toBeGreaterThan(0);
    expect(cache.unitRows).toEqual([]);
    expect(live).toEqual(cache);
    expect([...new Set(live.groupStats.map((s) => s.groupId))].sort()).toEqual([...groups].sort());
    // The database's aggregates are exactly the overview's old client-side sums over the rows.
    expect(cache.groupStats).toEqual(statsFromRows(await loadVisibleUnitRows(client, 'cache'), cache.pupils));
    expect([...rowGroups(await loadVisibleUnitRows(client, 'cache'))].sort()).toEqual([...groups].sort());
  });

  test('overview of the admin: same rows and numbers, every department', async () => {
    const { cache, live } = await overviewBothWays(await signedIn('admin@markbook.test'));
    expect(demoSchool(live)).toEqual(demoSchool(cache));
    expect([...new Set(demoSchool(live).groupStats.map((s) => s.groupId))].sort()).toEqual([...GROUPS].sort());
    // Outside the demo school too, live counts only groups with rated feedback behind them.
    const rated = await db.query<{ group_id: string }>(
      'select distinct gp.group_id from public.feedback f join public.group_pupils gp on gp.pupil_id = f.pupil_id where f.rating is not null',
    );
    const ratedGroups = new Set(rated.rows.map((r) => r.group_id));
    expect(live.groupStats.every((s) => ratedGroups.has(s.groupId))).toBe(true);
  });
});

describe('REPORTS_SOURCE=live reads on demand', () => {
  test('a saved rating shows in the live overview before the cache is recalculated; the cached one shows it after', async () => {
    const group = await makeGroupWithPupils(db, { pupils: 2, units: 1, criteriaPerUnit: 2, assignmentsPerUnit: 1 });
    const unit = group.units[0]!;
    const pupilId = group.pupilIds[0]!;
    const teacher = await typedClientAs(stack, group.teacherId);
    /** The teacher marks one cell the way the marking page does; returns the saved version. */
    const mark = async (criterion: number, rating: number): Promise<number> => {
      const saved = await saveFeedback(teacher, {
        assignmentId: unit.assignmentIds[0]!,
        pupilId,
        successCriterionId: unit.criterionIds[criterion]!,
        rating,
        clientMutationId: randomUUID(),
      });
      if (!saved.ok) throw new Error(`saveFeedback: ${saved.code}`);
      return saved.data.version;
    };
    const figuresOf = (snapshot: ReportSnapshot) => groupFigures(snapshot, group.groupId);
    const pupilOf = (snapshot: ReportSnapshot) => snapshot.pupils.find((p) => p.pupilId === pupilId);

    // Marked and recalculated (what the worker does): both sources agree.
    await mark(0, 1);
    await mark(1, 1);
    await recalculatePupil(db, pupilId);
    const before = await overviewBothWays(teacher);
    expect(before.live).toEqual(before.cache);
    expect(figuresOf(before.cache)).toEqual({ rowsCounted: 1, average: 1 });

    // A new rating, its recalculation still queued: only live shows it.
    const version = await mark(0, 3);
    const stale = await overviewBothWays(teacher);
    expect(figuresOf(stale.live)).toEqual({ rowsCounted: 1, average: 2 });
    expect(stale.live.groupStats.find((s) => s.groupId === group.groupId)?.workingLevel).toBe('secure');
    expect(figuresOf(stale.cache)).toEqual(figuresOf(before.cache));
    // The pupil list too: live computes the overall average now, and is current.
    expect(pupilOf(stale.live)).toMatchObject({ overallAverage: 2, workingLevel: 'secure', cachedVersion: version, feedbackVersion: version });
    expect(pupilOf(stale.cache)).toMatchObject({ overallAverage: 1, cachedVersion: pupilOf(before.cache)?.cachedVersion, feedbackVersion: version });

    // The recalculation writes what live already served.
    await recalculatePupil(db, pupilId);
    const after = await overviewBothWays(teacher);
    expect(after.cache).toEqual(after.live);
    expect(figuresOf(after.cache)).toEqual(figuresOf(stale.live));
    expect(pupilOf(after.cache)).toEqual(pupilOf(stale.live));
  });
});
