/**
 * Concurrency: 8 parallel workers, each alternating feedback writes and recalculations for
 * the SAME pupil, while a watcher reads source_version. The cache ends equal to the
 * on-demand result and source_version never decreases.
 */
import pg from 'pg';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { upsertFeedbackAs } from '../../fixtures/school/feedback-writes';
import { makeGroupWithPupils, type SchoolGroup } from '../../fixtures/school/make-group-with-pupils';
import { cachedReport, onDemandReport, recalculatePupil } from '../../fixtures/school/report-cache-queries';
import { seededRandom } from '../../fixtures/school/seeded-random';

const stack = inject('stack');
const PARALLEL = 8;
const ROUNDS = 5;
let pool: pg.Pool;
let group: SchoolGroup;

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: stack.dbUrl, max: PARALLEL + 2 });
  const client = await pool.connect();
  try {
    group = await makeGroupWithPupils(client, { pupils: 1, units: 2, criteriaPerUnit: 3, assignmentsPerUnit: 2 });
  } finally {
    client.release();
  }
});
afterAll(() => pool.end());

test('8 parallel recalculations interleaved with writes converge; source_version never moves back', async () => {
  const pupilId = group.pupilIds[0]!;
  let running = true;
  const observed: Array<{ summary: number | null; units: Record<string, number> }> = [];

  const watcher = (async () => {
    const client = await pool.connect();
    try {
      while (running) {
        const summary = await client.query<{ v: string }>(`select source_version::text as v from public.report_pupil_summary where pupil_id = $1`, [pupilId]);
        const units = await client.query<{ unit_id: string; v: string }>(
          `select unit_id, source_version::text as v from public.report_pupil_unit_summaries where pupil_id = $1`,
          [pupilId],
        );
        observed.push({
          summary: summary.rows[0] ? Number(summary.rows[0].v) : null,
          units: Object.fromEntries(units.rows.map((row) => [row.unit_id, Number(row.v)])),
        });
      }
    } finally {
      client.release();
    }
  })();

  const workers = Array.from({ length: PARALLEL }, (_, index) =>
    (async () => {
      const random = seededRandom(1000 + index);
      const client = await pool.connect();
      try {
        for (let round = 0; round < ROUNDS; round += 1) {
          const unit = random.pick(group.units);
          await upsertFeedbackAs(client, group.teacherId, {
            assignmentId: random.pick(unit.assignmentIds),
            pupilId,
            criterionId: random.pick(unit.criterionIds),
            rating: random.int(4),
          });
          await recalculatePupil(client, pupilId);
        }
      } finally {
        client.release();
      }
    })(),
  );
  await Promise.all(workers);
  running = false;
  await watcher;

  const client = await pool.connect();
  try {
    expect(await cachedReport(client, pupilId)).toEqual(await onDemandReport(client, pupilId));
    const latest = await client.query<{ v: string }>(`select max(version)::text as v from public.feedback where pupil_id = $1`, [pupilId]);
    expect(observed.at(-1)?.summary ?? null).toBeLessThanOrEqual(Number(latest.rows[0]!.v));
  } finally {
    client.release();
  }

  expect(observed.length).toBeGreaterThan(1);
  for (let i = 1; i < observed.length; i += 1) {
    const [before, after] = [observed[i - 1]!, observed[i]!];
    if (before.summary !== null) expect(after.summary).toBeGreaterThanOrEqual(before.summary);
    for (const [unitId, version] of Object.entries(before.units)) {
      if (after.units[unitId] !== undefined) expect(after.units[unitId]).toBeGreaterThanOrEqual(version);
    }
  }
});
