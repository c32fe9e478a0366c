/**
 * REPORTS_SOURCE=live serves the same numbers as the cache, through the page snapshot
 * loaders both ways: every demo group and pupil the head of science and teacher C can read,
 * and the /reports overview of a teacher, the head of science and the admin. And live really
 * reads on demand: a rating saved before the cache is recalculated shows in the live
 * overview and not in the cached one (the test stack runs no worker, so the enqueued
 * recalculation waits until the test runs it).
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { saveFeedback } from '@/lib/feedback/save-feedback';
import { loadReportSnapshot } from '@/lib/reports/report-snapshot';
import type { Database } from '@/lib/supabase/database.types';
import type { ReportSnapshot, UnitRow } from '@/stores/report-store';
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
    unitRows: snapshot.unitRows.filter((r) => inDemo(r.groupIds)),
  };
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
  ])('overview of $email: same rows and numbers, only their groups', async ({ email, groups }) => {
    const { cache, live } = await overviewBothWays(await signedIn(email));
    expect(cache.unitRows.length).toBeGreaterThan(0);
    expect(live).toEqual(cache);
    expect([...rowGroups(live.unitRows)].sort()).toEqual([...groups].sort());
  });

  test('overview of the admin: same rows and numbers, every department', async () => {
    const { cache, live } = await overviewBothWays(await signedIn('admin@markbook.test'));
    expect(demoSchool(live)).toEqual(demoSchool(cache));
    expect([...rowGroups(demoSchool(live).unitRows)].sort()).toEqual([...GROUPS].sort());
    // Outside the demo school too, live serves only rows with rated feedback behind them.
    const rated = await db.query<{ pupil_id: string }>('select distinct pupil_id from public.feedback where rating is not null');
    const ratedPupils = new Set(rated.rows.map((r) => r.pupil_id));
    expect(live.unitRows.every((r) => ratedPupils.has(r.pupilId))).toBe(true);
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
    const rowOf = (snapshot: ReportSnapshot) => snapshot.unitRows.find((r) => r.pupilId === pupilId && r.unitId === unit.id);

    // Marked and recalculated (what the worker does): both sources agree.
    await mark(0, 1);
    await mark(1, 1);
    await recalculatePupil(db, pupilId);
    const before = await overviewBothWays(teacher);
    expect(before.live).toEqual(before.cache);
    expect(rowOf(before.cache)).toMatchObject({ averageRating: 1, criteriaRated: 2, groupIds: [group.groupId] });

    // A new rating, its recalculation still queued: only live shows it.
    const version = await mark(0, 3);
    const stale = await overviewBothWays(teacher);
    expect(rowOf(stale.live)).toMatchObject({ averageRating: 2, workingLevel: 'secure', sourceVersion: version });
    expect(rowOf(stale.cache)).toEqual(rowOf(before.cache));

    // The recalculation writes what live already served.
    await recalculatePupil(db, pupilId);
    const after = await overviewBothWays(teacher);
    expect(after.cache).toEqual(after.live);
    expect(rowOf(after.cache)).toEqual(rowOf(stale.live));
  });
});
