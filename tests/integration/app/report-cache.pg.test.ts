/**
 * Property test: for random pupils on randomly generated marking, the cached report rows
 * equal the on-demand calculation, including after cells are cleared (rows that no longer
 * apply are deleted), and recalculating twice changes nothing.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { upsertFeedbackAs } from '../../fixtures/school/feedback-writes';
import { makeGroupWithPupils, type SchoolGroup } from '../../fixtures/school/make-group-with-pupils';
import { cachedReport, onDemandReport, recalculatePupil } from '../../fixtures/school/report-cache-queries';
import { markRandomly } from '../../fixtures/school/random-marking';
import { seededRandom } from '../../fixtures/school/seeded-random';

const stack = inject('stack');
let client: pg.Client;

beforeAll(async () => {
  client = new pg.Client({ connectionString: stack.dbUrl });
  await client.connect();
});
afterAll(() => client.end());

describe('reports cache equals on-demand', () => {
  test.each([11, 42, 2026])('random marking, seed %i', async (seed) => {
    const random = seededRandom(seed);
    const group = await makeGroupWithPupils(client, { pupils: 8, units: 3, criteriaPerUnit: 3, assignmentsPerUnit: 2 });
    await markRandomly(client, [group], random, 120);
    for (const pupilId of group.pupilIds) await recalculatePupil(client, pupilId);
    for (let probe = 0; probe < 4; probe += 1) {
      const pupilId = random.pick(group.pupilIds);
      expect(await cachedReport(client, pupilId)).toEqual(await onDemandReport(client, pupilId));
    }

    // More marking, heavier on clears, then recalculate a random subset and compare them.
    await markRandomly(client, [group], random, 60);
    const probed = group.pupilIds.filter(() => random.next() < 0.5);
    for (const pupilId of probed) {
      await recalculatePupil(client, pupilId);
      expect(await cachedReport(client, pupilId)).toEqual(await onDemandReport(client, pupilId));
    }
  });

  test('clearing every rating of a unit deletes its rows; a second run writes nothing', async () => {
    const group = await makeGroupWithPupils(client, { pupils: 1, units: 2, criteriaPerUnit: 2, assignmentsPerUnit: 1 });
    const pupilId = group.pupilIds[0]!;
    const [first, second] = group.units as [SchoolGroup['units'][0], SchoolGroup['units'][0]];
    for (const unit of [first, second]) {
      for (const criterionId of unit.criterionIds) {
        await upsertFeedbackAs(client, group.teacherId, { assignmentId: unit.assignmentIds[0]!, pupilId, criterionId, rating: 2 });
      }
    }
    expect(await recalculatePupil(client, pupilId)).toEqual({
      units_written: 2, units_deleted: 0, summary_written: 1, summary_deleted: 0, criteria_written: 4, criteria_deleted: 0,
    });
    for (const criterionId of second.criterionIds) {
      await upsertFeedbackAs(client, group.teacherId, { assignmentId: second.assignmentIds[0]!, pupilId, criterionId, rating: null });
    }
    expect(await recalculatePupil(client, pupilId)).toEqual({
      units_written: 0, units_deleted: 1, summary_written: 1, summary_deleted: 0, criteria_written: 0, criteria_deleted: 2,
    });
    expect(await recalculatePupil(client, pupilId)).toEqual({
      units_written: 0, units_deleted: 0, summary_written: 0, summary_deleted: 0, criteria_written: 0, criteria_deleted: 0,
    });
    const cached = await cachedReport(client, pupilId);
    expect(cached).toEqual(await onDemandReport(client, pupilId));
    expect(cached.units).toHaveLength(1);
    expect(cached.summary).toMatchObject([{ units_counted: 1, criteria_rated: 2, overall_average: '2.00', working_level: 'secure' }]);
  });

  test('the seeded demo school has its cache filled', async () => {
    const pupils = await client.query<{ id: string }>(
      `select distinct pupil_id as id from public.feedback where pupil_id::text like 'e0000000-%' order by 1 limit 5`,
    );
    expect(pupils.rows.length).toBeGreaterThan(0);
    for (const { id } of pupils.rows) {
      const cached = await cachedReport(client, id);
      expect(cached.summary).toHaveLength(1);
      expect(cached).toEqual(await onDemandReport(client, id));
    }
  });

  test('the working-level rule is defined once and maps averages to bands', async () => {
    const result = await client.query<{ average: string; level: string | null }>(
      `select a::text as average, public.working_level(a) as level
       from unnest(array[0, 0.49, 0.5, 1.49, 1.5, 2.49, 2.5, 3]::numeric[]) as a`,
    );
    expect(result.rows.map((row) => row.level)).toEqual([
      'not_yet', 'not_yet', 'working_towards', 'working_towards', 'secure', 'secure', 'exceeding', 'exceeding',
    ]);
  });
});
