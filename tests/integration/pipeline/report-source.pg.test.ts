/**
 * The report loaders and REPORTS_SOURCE: cache serves the cached rows; live serves the
 * on-demand procedure with the same rows; a pupil (or group) whose cache rows are missing
 * is served on demand once and a recalculation is enqueued. The same for the one-call page
 * loaders (reports_pupil_page / reports_group_page through lib/reports/pupil-page.ts and
 * group-page.ts). No worker runs in this file; the cache is filled by calling the procedure
 * as the worker would.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { saveFeedback } from '@/lib/feedback/save-feedback';
import { loadGroupPageWire } from '@/lib/reports/group-page';
import { decodeSnapshot } from '@/lib/reports/snapshot-wire';
import { loadPupilPageSnapshot } from '@/lib/reports/pupil-page';
import { loadGroupReport, loadPupilReport, ReportLoadError } from '@/lib/reports/report-source';
import { makeGroupWithPupils, type SchoolGroup } from '../../fixtures/school/make-group-with-pupils';
import { recalculatePupil } from '../../fixtures/school/report-cache-queries';
import { jobsForPupil } from '../../fixtures/pipeline/queue-queries';
import { typedClientAs, type TypedClient } from '../../fixtures/pipeline/typed-clients';

const stack = inject('stack');
let db: pg.Client;
let group: SchoolGroup;
let teacher: TypedClient;

/** Marks every pupil, then leaves the cache current and the queue empty for them. */
beforeAll(async () => {
  db = new pg.Client({ connectionString: stack.dbUrl });
  await db.connect();
  group = await makeGroupWithPupils(db, { pupils: 3, units: 2, criteriaPerUnit: 2, assignmentsPerUnit: 1 });
  teacher = await typedClientAs(stack, group.teacherId);
  for (const [p, pupilId] of group.pupilIds.entries()) {
    for (const [u, unit] of group.units.entries()) {
      const result = await saveFeedback(teacher, {
        assignmentId: unit.assignmentIds[0]!,
        pupilId,
        successCriterionId: unit.criterionIds[0]!,
        rating: (p + u) % 4,
        clientMutationId: randomUUID(),
      });
      expect(result.ok).toBe(true);
    }
  }
  await db.query(`delete from graphile_worker._private_jobs where payload->>'pupil_id' = any($1::text[])`, [group.pupilIds]);
  for (const pupilId of group.pupilIds) await recalculatePupil(db, pupilId);
});
afterAll(() => db.end());

/** The group page's loader, its wire form decoded to the store's snapshot as the browser does. */
async function loadGroupPageSnapshot(client: TypedClient, groupId: string, source: 'cache' | 'live') {
  const page = await loadGroupPageWire(client, groupId, source);
  return page && { servedFrom: page.servedFrom, snapshot: decodeSnapshot(page.wire) };
}

const withoutComputedAt = <T extends { computedAt: string }>(rows: T[]) => rows.map(({ computedAt: _, ...rest }) => rest);

describe('report loaders', () => {
  test('cache and live give the same pupil rows; cache reads the cached table without enqueuing', async () => {
    const pupilId = group.pupilIds[0]!;
    const cached = await loadPupilReport(teacher, pupilId, 'cache');
    const live = await loadPupilReport(teacher, pupilId, 'live');
    expect(cached.servedFrom).toBe('cache');
    expect(live.servedFrom).toBe('live');
    expect(cached.units).toHaveLength(2);
    expect(withoutComputedAt(live.units)).toEqual(withoutComputedAt(cached.units));
    expect(await jobsForPupil(db, pupilId)).toEqual([]);
  });

  test('a pupil with no cached rows is served on demand once and a recalculation is enqueued', async () => {
    const pupilId = group.pupilIds[1]!;
    const expected = await loadPupilReport(teacher, pupilId, 'live');
    await db.query(`delete from public.report_pupil_unit_summaries where pupil_id = $1`, [pupilId]);

    const missed = await loadPupilReport(teacher, pupilId, 'cache');
    expect(missed.servedFrom).toBe('cache_miss_live');
    expect(withoutComputedAt(missed.units)).toEqual(withoutComputedAt(expected.units));
    expect(await jobsForPupil(db, pupilId)).toHaveLength(1);

    await recalculatePupil(db, pupilId); // what the worker will do with that job
    expect((await loadPupilReport(teacher, pupilId, 'cache')).servedFrom).toBe('cache');
  });

  test('a pupil with nothing rated is an empty report from the cache, not a miss', async () => {
    const empty = await makeGroupWithPupils(db, { pupils: 1, units: 1 });
    const report = await loadPupilReport(await typedClientAs(stack, empty.teacherId), empty.pupilIds[0]!, 'cache');
    expect(report).toEqual({ pupilId: empty.pupilIds[0], units: [], servedFrom: 'cache' });
    expect(await jobsForPupil(db, empty.pupilIds[0]!)).toEqual([]);
  });

  test('group report: cache and live agree; an emptied cache falls back to live and enqueues its pupils', async () => {
    const cached = await loadGroupReport(teacher, group.groupId, 'cache');
    const live = await loadGroupReport(teacher, group.groupId, 'live');
    expect(cached.servedFrom).toBe('cache');
    expect(cached.rows).toHaveLength(6);
    expect(live.rows).toEqual(cached.rows);

    await db.query(`delete from public.report_pupil_unit_summaries where pupil_id = any($1::uuid[])`, [group.pupilIds]);
    const missed = await loadGroupReport(teacher, group.groupId, 'cache');
    expect(missed.servedFrom).toBe('cache_miss_live');
    expect(missed.rows).toEqual(live.rows);
    for (const pupilId of group.pupilIds) expect((await jobsForPupil(db, pupilId)).length).toBe(1);
  });

  test('another teacher cannot load or enqueue these reports', async () => {
    const stranger = await makeGroupWithPupils(db, { pupils: 1, units: 1 });
    const client = await typedClientAs(stack, stranger.teacherId);
    expect((await loadPupilReport(client, group.pupilIds[2]!, 'cache')).units).toEqual([]); // RLS: nothing visible
    const { error } = await client.rpc('reports_request_recalc', { p_pupil_id: group.pupilIds[2]! });
    expect(error).toMatchObject({ code: '42501', message: 'not_authorized' });
    await expect(loadPupilReport(client, 'not-a-uuid', 'cache')).rejects.toBeInstanceOf(ReportLoadError);
  });
});

describe('one-call page loaders', () => {
  /** Every pupil's cache current again and no job queued (the tests above leave rows deleted). */
  async function cacheCurrent(): Promise<void> {
    for (const pupilId of group.pupilIds) await recalculatePupil(db, pupilId);
    await db.query(`delete from graphile_worker._private_jobs where payload->>'pupil_id' = any($1::text[])`, [group.pupilIds]);
  }

  test('pupil page: cache and live agree; missing cached rows are served computed once and the pupil is enqueued', async () => {
    await cacheCurrent();
    const pupilId = group.pupilIds[0]!;
    const cached = await loadPupilPageSnapshot(teacher, pupilId, 'cache');
    const live = await loadPupilPageSnapshot(teacher, pupilId, 'live');
    expect(cached?.servedFrom).toBe('cache');
    expect(live?.servedFrom).toBe('live');
    expect(cached?.snapshot.unitRows).toHaveLength(2);
    expect(live?.snapshot).toEqual(cached?.snapshot);
    expect(await jobsForPupil(db, pupilId)).toEqual([]);

    await db.query('delete from public.report_pupil_unit_summaries where pupil_id = $1', [pupilId]);
    const missed = await loadPupilPageSnapshot(teacher, pupilId, 'cache');
    expect(missed?.servedFrom).toBe('cache_miss_live');
    expect(missed?.snapshot.unitRows).toEqual(live?.snapshot.unitRows);
    expect(await jobsForPupil(db, pupilId)).toHaveLength(1);
  });

  test('group page: cache and live agree; an emptied cache is served computed once and every pupil enqueued', async () => {
    await cacheCurrent();
    const cached = await loadGroupPageSnapshot(teacher, group.groupId, 'cache');
    const live = await loadGroupPageSnapshot(teacher, group.groupId, 'live');
    expect(cached?.servedFrom).toBe('cache');
    expect(cached?.snapshot.unitRows).toHaveLength(6);
    expect(live?.snapshot).toEqual(cached?.snapshot);

    await db.query('delete from public.report_pupil_unit_summaries where pupil_id = any($1::uuid[])', [group.pupilIds]);
    const missed = await loadGroupPageSnapshot(teacher, group.groupId, 'cache');
    expect(missed?.servedFrom).toBe('cache_miss_live');
    expect(missed?.snapshot.unitRows).toEqual(live?.snapshot.unitRows);
    for (const pupilId of group.pupilIds) expect(await jobsForPupil(db, pupilId)).toHaveLength(1);
  });

  test('pupil page, live: a rating saved before the recalculation shows in the unit rows and the criteria; the cache shows it after', async () => {
    await cacheCurrent();
    const pupilId = group.pupilIds[2]!;
    const unit = group.units[0]!;
    const criterionOf = (page: Awaited<ReturnType<typeof loadPupilPageSnapshot>>) =>
      page?.snapshot.criterionRows.find((c) => c.successCriterionId === unit.criterionIds[0]);
    const before = await loadPupilPageSnapshot(teacher, pupilId, 'cache');
    const saved = await saveFeedback(teacher, {
      assignmentId: unit.assignmentIds[0]!,
      pupilId,
      successCriterionId: unit.criterionIds[0]!,
      rating: ((criterionOf(before)?.rating ?? 0) + 1) % 4,
      clientMutationId: randomUUID(),
    });
    if (!saved.ok) throw new Error(saved.code);

    const live = await loadPupilPageSnapshot(teacher, pupilId, 'live');
    const stale = await loadPupilPageSnapshot(teacher, pupilId, 'cache');
    expect(criterionOf(live)).toMatchObject({ rating: saved.data.rating, version: Number(saved.data.version) });
    expect(criterionOf(stale)).toEqual(criterionOf(before));
    expect(live?.snapshot.unitRows.find((r) => r.unitId === unit.id)?.sourceVersion).toBe(Number(saved.data.version));

    await recalculatePupil(db, pupilId); // what the worker does with the queued job
    expect((await loadPupilPageSnapshot(teacher, pupilId, 'cache'))?.snapshot).toEqual(live?.snapshot);
  });

  test('nothing rated is an empty page from the cache, not a miss; an unreadable page is null', async () => {
    const empty = await makeGroupWithPupils(db, { pupils: 1, units: 1 });
    const client = await typedClientAs(stack, empty.teacherId);
    const page = await loadGroupPageSnapshot(client, empty.groupId, 'cache');
    expect(page?.servedFrom).toBe('cache');
    expect(page?.snapshot.unitRows).toEqual([]);
    expect(page?.snapshot.pupils.map((p) => p.pupilId)).toEqual(empty.pupilIds);
    expect(await jobsForPupil(db, empty.pupilIds[0]!)).toEqual([]);
    expect(await loadGroupPageSnapshot(client, group.groupId, 'cache')).toBeNull();
    expect(await loadPupilPageSnapshot(client, group.pupilIds[0]!, 'live')).toBeNull();
  });
});
