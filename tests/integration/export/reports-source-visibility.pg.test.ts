/**
 * REPORTS_SOURCE=live serves what the cache serves the same viewer, also when the viewer can
 * read only part of a pupil's feedback (migration 20261122083000). The case: a pupil taught
 * one unit by two groups of one department (different teachers), rated in both; a second
 * unit rated only by group 2. The cache computes over all of the pupil's feedback (the
 * worker) and its policies decide who sees which row; live must compute the same rows and
 * show them to the same people:
 *   teacher 1 (group 1)  unit 1 only, averaged over both groups (2.25 over {g1, g2}, not 1.50),
 *                        the overall summary over both units, only the criterion whose latest
 *                        rating came from group 1;
 *   teacher 2 (group 2), head of department, admin: both units;
 *   a teacher of an unrelated group of the department: nothing;
 *   anon: refused.
 * And the private definer helpers behind live apply the policies themselves.
 * Each viewer: the pupil page, both group pages and the overview through the page loaders,
 * and the reports_prepared_* baseline against the cached tables read directly.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { loadReportSnapshot, loadVisibleUnitRows } from '@/lib/reports/report-snapshot';
import type { ReportSnapshot } from '@/stores/report-store';
import { typedClientAs, type TypedClient } from '../../fixtures/pipeline/typed-clients';
import { anonClient } from '../../fixtures/school/api-clients';
import { demoStaff } from '../../fixtures/school/demo-school';
import { upsertFeedbackAs } from '../../fixtures/school/feedback-writes';
import { asRequestRole } from '../../fixtures/school/pg-session';
import {
  makeGroupTeachingSameUnits,
  makeGroupWithPupils,
  makeStaff,
  type SchoolGroup,
} from '../../fixtures/school/make-group-with-pupils';
import { recalculatePupil } from '../../fixtures/school/report-cache-queries';

const stack = inject('stack');

let db: pg.Client;
beforeAll(async () => {
  db = new pg.Client({ connectionString: stack.dbUrl });
  await db.connect();
});
afterAll(() => db.end());

/** Two groups teaching the same two units; pupil 0 is in both, pupil 1 only in group 2. */
type TwoGroups = { group1: SchoolGroup; group2: SchoolGroup; unrelated: SchoolGroup; headId: string; pupilId: string };

async function makePupilTaughtByTwoGroups(): Promise<TwoGroups> {
  const group1 = await makeGroupWithPupils(db, { pupils: 1, units: 2, criteriaPerUnit: 3, assignmentsPerUnit: 1 });
  const pupilId = group1.pupilIds[0]!;
  const other = (
    await db.query<{ id: string }>(`insert into public.pupils (first_name, last_name, year_group) values ('Other', 'Pupil', 9) returning id`)
  ).rows[0]!.id;
  const group2 = await makeGroupTeachingSameUnits(db, group1, { pupilIds: [pupilId, other] });
  const unrelated = await makeGroupTeachingSameUnits(db, group1, { pupilIds: [] });
  const headId = await makeStaff(db, { role: 'head_of_department', departmentId: group1.departmentId });
  return { group1, group2, unrelated, headId, pupilId };
}

/** Marks the case (in this order, so group 2's ratings of unit 1 are the newer ones) and recalculates as the worker. */
async function markBothGroups({ group1, group2, pupilId }: TwoGroups): Promise<void> {
  const [unit1g1, unit1g2, unit2g2] = [group1.units[0]!, group2.units[0]!, group2.units[1]!];
  const rate = (group: SchoolGroup, unit: SchoolGroup['units'][0], criterion: number, rating: number, pupil = pupilId) =>
    upsertFeedbackAs(db, group.teacherId, { assignmentId: unit.assignmentIds[0]!, pupilId: pupil, criterionId: unit.criterionIds[criterion]!, rating });
  await rate(group1, unit1g1, 0, 1);
  await rate(group1, unit1g1, 1, 2);
  await rate(group2, unit1g2, 1, 3);
  await rate(group2, unit1g2, 2, 3);
  await rate(group2, unit2g2, 0, 0);
  await rate(group2, unit1g2, 0, 2, group2.pupilIds[1]!);
  for (const id of group2.pupilIds) await recalculatePupil(db, id);
}

const UNIT_COLUMNS = 'pupil_id, unit_id, group_ids, assignments_counted, criteria_rated, average_rating, working_level, last_feedback_at, source_version';
const SUMMARY_COLUMNS = 'pupil_id, units_counted, criteria_rated, overall_average, working_level, last_feedback_at, source_version';
const CRITERIA_COLUMNS = 'pupil_id, success_criterion_id, unit_id, group_id, assignment_id, rating, version, updated_at';

function sortedBy<T>(rows: T[] | null, key: (row: T) => string): T[] {
  return [...(rows ?? [])].sort((a, b) => key(a).localeCompare(key(b)));
}

/** The cached tables as the viewer reads them, and reports_prepared_* as the viewer calls them. */
async function baselineBothWays(client: TypedClient, pupilId: string) {
  const read = async <T>(query: PromiseLike<{ data: T[] | null; error: unknown }>, key: (row: T) => string) => {
    const { data, error } = await query;
    expect(error).toBeNull();
    return sortedBy(data, key);
  };
  const unit = (r: { unit_id: string }) => r.unit_id;
  const criterion = (r: { success_criterion_id: string }) => r.success_criterion_id;
  const pupil = (r: { pupil_id: string }) => r.pupil_id;
  return {
    cache: {
      units: await read(client.from('report_pupil_unit_summaries').select(UNIT_COLUMNS).eq('pupil_id', pupilId), unit),
      summary: await read(client.from('report_pupil_summary').select(SUMMARY_COLUMNS).eq('pupil_id', pupilId), pupil),
      criteria: await read(client.from('report_pupil_feedback_cache').select(CRITERIA_COLUMNS).eq('pupil_id', pupilId), criterion),
    },
    live: {
      units: await read(client.rpc('reports_prepared_dataset', { p_pupil_id: pupilId }), unit),
      summary: await read(client.rpc('reports_prepared_summary', { p_pupil_id: pupilId }), pupil),
      criteria: await read(client.rpc('reports_prepared_criteria', { p_pupil_id: pupilId }), criterion),
    },
  };
}

async function pageBothWays(client: TypedClient, scope: Parameters<typeof loadReportSnapshot>[1]) {
  const [cache, live] = await Promise.all([loadReportSnapshot(client, scope, 'cache'), loadReportSnapshot(client, scope, 'live')]);
  return { cache, live };
}

/** The overview's unit rows of these pupils, both ways (the admin's overview also holds other tests' pupils). */
async function overviewBothWays(client: TypedClient, pupilIds: string[]) {
  const [cache, live] = await Promise.all([loadVisibleUnitRows(client, 'cache'), loadVisibleUnitRows(client, 'live')]);
  const mine = (rows: typeof cache) => rows.filter((row) => pupilIds.includes(row.pupilId));
  return { cache: mine(cache), live: mine(live) };
}

const unitRowsOf = (snapshot: ReportSnapshot | null) => snapshot?.unitRows ?? [];

describe('REPORTS_SOURCE=live equals cache for a pupil rated in one unit by two groups', () => {
  let school: TwoGroups;
  const viewers = ['teacher of group 1', 'teacher of group 2', 'head of department', 'admin', 'teacher of an unrelated group'] as const;
  type Viewer = (typeof viewers)[number];
  const clients = new Map<Viewer, TypedClient>();

  beforeAll(async () => {
    school = await makePupilTaughtByTwoGroups();
    await markBothGroups(school);
    const ids: Record<Viewer, string> = {
      'teacher of group 1': school.group1.teacherId,
      'teacher of group 2': school.group2.teacherId,
      'head of department': school.headId,
      admin: demoStaff.admin.id,
      'teacher of an unrelated group': school.unrelated.teacherId,
    };
    for (const viewer of viewers) clients.set(viewer, await typedClientAs(stack, ids[viewer]));
  });

  /** Unit 1 as the cache has it: both groups' ratings (1, 2, 3, 3), whoever reads it. */
  const unit1 = () => ({
    unitId: school.group1.units[0]!.id,
    groupIds: [school.group1.groupId, school.group2.groupId].sort(),
    averageRating: 2.25,
    criteriaRated: 4,
    assignmentsCounted: 2,
    workingLevel: 'secure',
  });

  test.each(viewers)('%s: pupil page, both group pages, overview and the reports_prepared_* baseline', async (viewer) => {
    const client = clients.get(viewer)!;
    const { pupilId, group1, group2 } = school;
    // What the cache shows each viewer: the pupil's units, and which groups they may read.
    const { sees, readsGroup1, readsGroup2 } = {
      'teacher of group 1': { sees: 'unit 1', readsGroup1: true, readsGroup2: false },
      'teacher of group 2': { sees: 'both units', readsGroup1: false, readsGroup2: true },
      'head of department': { sees: 'both units', readsGroup1: true, readsGroup2: true },
      admin: { sees: 'both units', readsGroup1: true, readsGroup2: true },
      'teacher of an unrelated group': { sees: 'nothing', readsGroup1: false, readsGroup2: false },
    }[viewer];

    const pupilPage = await pageBothWays(client, { kind: 'pupil', pupilId });
    expect(pupilPage.live).toEqual(pupilPage.cache);
    const group1Page = await pageBothWays(client, { kind: 'group', groupId: group1.groupId });
    expect(group1Page.live).toEqual(group1Page.cache);
    const group2Page = await pageBothWays(client, { kind: 'group', groupId: group2.groupId });
    expect(group2Page.live).toEqual(group2Page.cache);
    const overview = await overviewBothWays(client, group2.pupilIds);
    expect(overview.live).toEqual(overview.cache);
    const baseline = await baselineBothWays(client, pupilId);
    expect(baseline.live).toEqual(baseline.cache);

    // And the cache really is what this viewer should see (so equality is not vacuous).
    const pupilUnits = unitRowsOf(pupilPage.cache).map((row) => row.unitId).sort();
    if (sees === 'nothing') {
      expect(pupilPage.cache).toBeNull();
      expect(unitRowsOf(group1Page.cache)).toEqual([]);
      expect(unitRowsOf(group2Page.cache)).toEqual([]);
      expect(overview.cache).toEqual([]);
      expect(baseline.cache).toEqual({ units: [], summary: [], criteria: [] });
      return;
    }
    expect(unitRowsOf(pupilPage.cache).find((row) => row.unitId === unit1().unitId)).toMatchObject(unit1());
    expect(overview.cache.find((row) => row.pupilId === pupilId && row.unitId === unit1().unitId)).toMatchObject(unit1());
    expect(pupilUnits).toEqual(sees === 'unit 1' ? [unit1().unitId] : group1.units.map((u) => u.id).sort());
    // The overall summary covers both units for everyone who may read the pupil.
    expect(baseline.cache.summary).toMatchObject([{ units_counted: 2, criteria_rated: 5 }]);
    // Latest rating per criterion: unit 1's c0 from group 1; its c1, c2 and unit 2's c0 from
    // group 2. Each is shown to whoever may read the group it came from.
    const criteriaGroups = baseline.cache.criteria.map((row) => row.group_id);
    expect(criteriaGroups.filter((id) => id === group1.groupId)).toHaveLength(readsGroup1 ? 1 : 0);
    expect(criteriaGroups.filter((id) => id === group2.groupId)).toHaveLength(readsGroup2 ? 3 : 0);
    // Group pages: the rows each group fed, for whoever may read that group.
    expect(unitRowsOf(group1Page.cache)).toEqual(readsGroup1 ? [expect.objectContaining({ pupilId, ...unit1(), groupIds: [group1.groupId] })] : []);
    expect(unitRowsOf(group2Page.cache)).toHaveLength(readsGroup2 ? 3 : 0);
  });

  test('the private definer helpers apply the cache policies themselves; only authenticated may call them', async () => {
    const { pupilId, group1, group2 } = school;
    const other = group2.pupilIds[1]!; // only in group 2
    const asTeacher1 = <T extends pg.QueryResultRow>(sql: string, params: unknown[]) =>
      asRequestRole(db, { role: 'authenticated', sub: group1.teacherId }, async () => (await db.query<T>(sql, params)).rows);
    // Asked for any pupils, teacher 1 gets only rows fed by group 1, computed over all feedback.
    expect(
      await asTeacher1<{ pupil_id: string; unit_id: string; average_rating: string }>(
        'select pupil_id, unit_id, average_rating::text from private.policy_filtered_report_unit_rows($1, null)',
        [[pupilId, other]],
      ),
    ).toEqual([{ pupil_id: pupilId, unit_id: group1.units[0]!.id, average_rating: '2.25' }]);
    expect(await asTeacher1('select pupil_id from private.policy_filtered_report_summary_rows($1)', [other])).toEqual([]);
    expect(await asTeacher1<{ group_id: string }>('select group_id from private.policy_filtered_report_criteria_rows($1)', [pupilId])).toEqual([
      { group_id: group1.groupId },
    ]);
    for (const role of ['anon', 'service_role'] as const) {
      await expect(
        asRequestRole(db, { role }, () => db.query('select 1 from private.policy_filtered_report_unit_rows($1, null)', [[pupilId]])),
      ).rejects.toMatchObject({ code: '42501' });
    }
    // The live pupil list's summaries (migration 20261122096000): only readable pupils, over all
    // of their feedback — the cached summary, which the worker computed over both groups.
    const cached = await db.query<{ overall_average: string }>('select overall_average::text from public.report_pupil_summary where pupil_id = $1', [pupilId]);
    expect(
      await asTeacher1<{ pupil_id: string; overall_average: string }>(
        'select pupil_id, overall_average::text from private.readable_pupil_summaries($1)',
        [[pupilId, other]],
      ),
    ).toEqual([{ pupil_id: pupilId, overall_average: cached.rows[0]!.overall_average }]);
    await expect(
      asRequestRole(db, { role: 'anon' }, () => db.query('select 1 from private.readable_pupil_summaries($1)', [[pupilId]])),
    ).rejects.toMatchObject({ code: '42501' });
  });

  test('anon is refused both ways', async () => {
    const anon = anonClient(stack);
    for (const [fn, args] of [
      ['reports_prepared_dataset', { p_pupil_id: school.pupilId }],
      ['reports_prepared_summary', { p_pupil_id: school.pupilId }],
      ['reports_prepared_criteria', { p_pupil_id: school.pupilId }],
      ['reports_pupil_units_on_demand', { p_pupil_id: school.pupilId }],
      ['reports_group_units_on_demand', { p_group_id: school.group1.groupId }],
      ['reports_visible_unit_rows_on_demand', {}],
      ['reports_visible_pupils_on_demand', {}],
      ['reports_overview_group_stats', { p_live: true }],
    ] as const) {
      const { data, error } = await anon.rpc(fn, args);
      expect({ fn, code: error?.code, data }).toEqual({ fn, code: '42501', data: null });
    }
  });
});

describe('REPORTS_SOURCE=live equals cache for a pupil who moved sets', () => {
  test('the old set keeps the rows its feedback feeds; the pupil and group pages follow membership', async () => {
    const school = await makePupilTaughtByTwoGroups();
    await markBothGroups(school);
    const { pupilId, group1 } = school;
    // The pupil leaves group 1 (nothing to recalculate: the feedback did not change).
    await db.query('delete from public.group_pupils where group_id = $1 and pupil_id = $2', [group1.groupId, pupilId]);
    const teacher1 = await typedClientAs(stack, group1.teacherId);

    const pupilPage = await pageBothWays(teacher1, { kind: 'pupil', pupilId });
    expect(pupilPage.live).toEqual(pupilPage.cache);
    expect(pupilPage.cache).toBeNull(); // no longer one of teacher 1's pupils
    const groupPage = await pageBothWays(teacher1, { kind: 'group', groupId: group1.groupId });
    expect(groupPage.live).toEqual(groupPage.cache);
    expect(unitRowsOf(groupPage.cache)).toEqual([]);
    const overview = await overviewBothWays(teacher1, [pupilId]);
    expect(overview.live).toEqual(overview.cache);
    expect(overview.cache.map((row) => [row.unitId, row.averageRating, row.groupIds])).toEqual([
      [group1.units[0]!.id, 2.25, [group1.groupId, school.group2.groupId].sort()],
    ]);
    const baseline = await baselineBothWays(teacher1, pupilId);
    expect(baseline.live).toEqual(baseline.cache);
    expect(baseline.cache.units).toHaveLength(1);
    expect(baseline.cache.summary).toEqual([]); // the summary follows the pupil
  });
});

describe('the recalculating flag (feedback_version, migration 20261122084000)', () => {
  test("covers feedback the viewer cannot read: teacher 1 sees the pupil recalculating after group 2's edit", async () => {
    const setup = await makePupilTaughtByTwoGroups();
    await markBothGroups(setup);
    const { group1, group2, pupilId } = setup;
    const teacher1 = await typedClientAs(stack, group1.teacherId);
    const pupilAsTeacher1 = async () =>
      (await loadReportSnapshot(teacher1, { kind: 'group', groupId: group1.groupId }, 'cache'))?.pupils.find((p) => p.pupilId === pupilId);

    const settled = await pupilAsTeacher1();
    expect(settled?.cachedVersion).not.toBeNull();
    expect(settled?.feedbackVersion).toBe(settled?.cachedVersion); // the cache is current

    // Group 2's teacher re-rates a unit-1 cell teacher 1 cannot read; no recalculation yet.
    const unit1g2 = group2.units[0]!;
    await upsertFeedbackAs(db, group2.teacherId, { assignmentId: unit1g2.assignmentIds[0]!, pupilId, criterionId: unit1g2.criterionIds[2]!, rating: 1 });
    const pending = await pupilAsTeacher1();
    expect(pending?.feedbackVersion).toBeGreaterThan(pending?.cachedVersion ?? Infinity);

    await recalculatePupil(db, pupilId);
    const caughtUp = await pupilAsTeacher1();
    expect(caughtUp?.feedbackVersion).toBe(caughtUp?.cachedVersion);
    expect(caughtUp?.cachedVersion).toBeGreaterThan(settled?.cachedVersion ?? Infinity);
  });
});
