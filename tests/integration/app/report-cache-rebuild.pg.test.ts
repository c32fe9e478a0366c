/**
 * reports_recalculate_all into empty cached tables (the deploy backfill, or after a
 * truncate) sets the tables' keys and indexes aside and restores them
 * (migration 20261122082000). These tests pin what must not change: the same rows as the
 * per-pupil procedure wrote, every constraint and index back with the same definition,
 * ON DELETE CASCADE still working, and the set-aside path closed to anyone else.
 * Each test runs in a transaction that is rolled back, so the shared cache is untouched.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { upsertFeedbackAs } from '../../fixtures/school/feedback-writes';
import { makeGroupWithPupils } from '../../fixtures/school/make-group-with-pupils';
import { cachedReport, recalculatePupil } from '../../fixtures/school/report-cache-queries';

const stack = inject('stack');
let client: pg.Client;

beforeAll(async () => {
  client = new pg.Client({ connectionString: stack.dbUrl });
  await client.connect();
});
afterAll(() => client.end());

const CACHE_TABLES = `'public.report_pupil_unit_summaries'::regclass, 'public.report_pupil_summary'::regclass,
  'public.report_pupil_feedback_cache'::regclass`;

/** Every constraint and index definition on the cached tables, sorted. */
async function cacheSchema(): Promise<string[]> {
  const { rows } = await client.query<{ definition: string }>(
    `select c.conrelid::regclass || ' ' || c.conname || ' ' || pg_get_constraintdef(c.oid) as definition
     from pg_constraint c where c.conrelid in (${CACHE_TABLES})
     union all
     select pg_get_indexdef(i.indexrelid) from pg_index i where i.indrelid in (${CACHE_TABLES})
     order by 1`,
  );
  return rows.map((row) => row.definition);
}

/** As an operator would empty the cache: rebuild lock first, so no recalculation interleaves. */
async function emptyCacheAndRebuildAsWorker(): Promise<number> {
  await client.query('select pg_advisory_xact_lock(private.reports_rebuild_lock_key())');
  await client.query('truncate public.report_pupil_unit_summaries, public.report_pupil_summary, public.report_pupil_feedback_cache');
  await client.query('set local role service_role');
  const { rows } = await client.query<{ pupils: number }>('select public.reports_recalculate_all() as pupils');
  await client.query('reset role');
  return rows[0]!.pupils;
}

async function inRolledBackTransaction(body: () => Promise<void>): Promise<void> {
  await client.query('begin');
  try {
    await body();
  } finally {
    await client.query('rollback');
  }
}

describe('reports_recalculate_all into an empty cache', () => {
  test('writes the rows the per-pupil procedure wrote and restores every key and index', async () => {
    const group = await makeGroupWithPupils(client, { pupils: 3, units: 2, criteriaPerUnit: 2, assignmentsPerUnit: 2 });
    for (const [index, pupilId] of group.pupilIds.entries()) {
      const unit = group.units[index % group.units.length]!;
      await upsertFeedbackAs(client, group.teacherId, {
        assignmentId: unit.assignmentIds[0]!, pupilId, criterionId: unit.criterionIds[0]!, rating: index % 4,
      });
      await recalculatePupil(client, pupilId);
    }
    const schemaBefore = await cacheSchema();
    // Only this test's pupils: other test files mark cells without recalculating, so their
    // pupils' rows may legitimately change in a full rebuild.
    const reportsOf = async () => Promise.all(group.pupilIds.map((pupilId) => cachedReport(client, pupilId)));
    const before = await reportsOf();
    expect(before.every((report) => report.criteria.length === 1 && report.summary.length === 1)).toBe(true);

    await inRolledBackTransaction(async () => {
      const pupils = await emptyCacheAndRebuildAsWorker();
      expect(pupils).toBeGreaterThanOrEqual(group.pupilIds.length);
      expect(await reportsOf()).toEqual(before);
      expect(await cacheSchema()).toEqual(schemaBefore);
    });
  });

  test('the restored foreign keys still cascade a deleted pupil out of the cache', async () => {
    const group = await makeGroupWithPupils(client, { pupils: 1, units: 1, criteriaPerUnit: 2, assignmentsPerUnit: 1 });
    const pupilId = group.pupilIds[0]!;
    const unit = group.units[0]!;
    await upsertFeedbackAs(client, group.teacherId, { assignmentId: unit.assignmentIds[0]!, pupilId, criterionId: unit.criterionIds[0]!, rating: 3 });

    await inRolledBackTransaction(async () => {
      await emptyCacheAndRebuildAsWorker();
      expect((await cachedReport(client, pupilId)).criteria).toHaveLength(1);
      await client.query('delete from public.pupils where id = $1', [pupilId]);
      expect(await cachedReport(client, pupilId)).toEqual({ units: [], summary: [], criteria: [] });
    });
  });

  test('the fill refuses a cache that is not empty, and only the worker role may call it', async () => {
    const { rows } = await client.query<{ cached: number }>('select count(*)::int as cached from public.report_pupil_summary');
    expect(rows[0]!.cached).toBeGreaterThan(0); // the demo seed's cache

    await inRolledBackTransaction(async () => {
      await client.query('set local role service_role');
      await expect(client.query('select private.fill_empty_report_cache()')).rejects.toMatchObject({ code: '55000' });
    });
    await inRolledBackTransaction(async () => {
      await client.query('set local role authenticated');
      await expect(client.query('select private.fill_empty_report_cache()')).rejects.toMatchObject({ code: '42501' });
    });
    await inRolledBackTransaction(async () => {
      await client.query('set local role authenticated');
      await expect(client.query('select public.reports_recalculate_all()')).rejects.toMatchObject({ code: '42501' });
    });
  });
});
