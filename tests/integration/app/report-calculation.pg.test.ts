/**
 * THE report calculation (private.report_unit_rows, private.report_summary_rows) against an
 * oracle written here from the raw feedback rows: the cache-vs-on-demand property tests
 * compare two readers of the same views, so they cannot notice the views themselves drifting
 * (migration 20261122095000 rewrote both without DISTINCT aggregates). Random marking with
 * clears, over two groups teaching the same units with several assignments each, so pupils
 * have several groups and assignments per unit.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { makeGroupTeachingSameUnits, makeGroupWithPupils } from '../../fixtures/school/make-group-with-pupils';
import { markRandomly } from '../../fixtures/school/random-marking';
import { seededRandom } from '../../fixtures/school/seeded-random';

const stack = inject('stack');
let client: pg.Client;

beforeAll(async () => {
  client = new pg.Client({ connectionString: stack.dbUrl });
  await client.connect();
});
afterAll(() => client.end());

type Cell = { pupil_id: string; unit_id: string; group_id: string; assignment_id: string; rating: number | null; updated_at: Date; version: string };

const round2 = (sum: number, count: number) => Math.round((sum * 100) / count) / 100; // exact: ratings are integers
const levelOf = (average: number) => (average < 0.5 ? 'not_yet' : average < 1.5 ? 'working_towards' : average < 2.5 ? 'secure' : 'exceeding');
const latest = (cells: Cell[]) => ({
  last_feedback_at: new Date(Math.max(...cells.map((c) => c.updated_at.getTime()))).toISOString(),
  source_version: cells.map((c) => BigInt(c.version)).reduce((a, b) => (a > b ? a : b)).toString(),
});

/** What the views must return for these pupils, computed from their feedback cells. */
function oracle(cells: Cell[]) {
  const byKey = <K extends string>(key: (c: Cell) => K) => {
    const groups = new Map<K, Cell[]>();
    for (const cell of cells) groups.set(key(cell), [...(groups.get(key(cell)) ?? []), cell]);
    return groups;
  };
  const units = [...byKey((c) => `${c.pupil_id}|${c.unit_id}`).values()].flatMap((group) => {
    const rated = group.filter((c) => c.rating !== null);
    if (rated.length === 0) return [];
    const sum = rated.reduce((s, c) => s + c.rating!, 0);
    const average = round2(sum, rated.length);
    return [{
      pupil_id: group[0]!.pupil_id,
      unit_id: group[0]!.unit_id,
      group_ids: [...new Set(rated.map((c) => c.group_id))].sort(),
      assignments_counted: new Set(rated.map((c) => c.assignment_id)).size,
      criteria_rated: rated.length,
      average_rating: average,
      working_level: levelOf(average),
      ...latest(group),
    }];
  });
  const summaries = [...byKey((c) => c.pupil_id).values()].flatMap((group) => {
    const rated = group.filter((c) => c.rating !== null);
    if (rated.length === 0) return [];
    const average = round2(rated.reduce((s, c) => s + c.rating!, 0), rated.length);
    return [{
      pupil_id: group[0]!.pupil_id,
      units_counted: new Set(rated.map((c) => c.unit_id)).size,
      criteria_rated: rated.length,
      overall_average: average,
      working_level: levelOf(average),
      ...latest(group),
    }];
  });
  return { units, summaries };
}

const byId = (row: { pupil_id: string; unit_id?: string }) => `${row.pupil_id}|${row.unit_id ?? ''}`;
const sorted = <T extends { pupil_id: string; unit_id?: string }>(rows: T[]) => [...rows].sort((a, b) => byId(a).localeCompare(byId(b)));

async function fromViews(pupilIds: string[]) {
  const units = await client.query(
    `select pupil_id, unit_id, group_ids, assignments_counted, criteria_rated, average_rating::float8 as average_rating, working_level,
       last_feedback_at, source_version::text as source_version
     from private.report_unit_rows where pupil_id = any ($1)`,
    [pupilIds],
  );
  const summaries = await client.query(
    `select pupil_id, units_counted, criteria_rated, overall_average::float8 as overall_average, working_level, last_feedback_at,
       source_version::text as source_version
     from private.report_summary_rows where pupil_id = any ($1)`,
    [pupilIds],
  );
  const iso = <T extends { last_feedback_at: Date }>(row: T) => ({ ...row, last_feedback_at: row.last_feedback_at.toISOString() });
  return { units: sorted(units.rows.map(iso)), summaries: sorted(summaries.rows.map(iso)) };
}

describe('the report calculation views equal an oracle over the raw feedback', () => {
  test.each([5, 17, 2026])('random marking in two groups sharing units, seed %i', async (seed) => {
    const random = seededRandom(seed);
    const first = await makeGroupWithPupils(client, { pupils: 6, units: 3, criteriaPerUnit: 3, assignmentsPerUnit: 3 });
    // Pupils 0–3 are in both groups; the second group has 3 assignments per unit too.
    const second = await makeGroupTeachingSameUnits(client, first, { pupilIds: first.pupilIds.slice(0, 4), assignmentsPerUnit: 3 });
    await markRandomly(client, [first, second], random, 250);

    const cells = await client.query<Cell>(
      `select f.pupil_id, a.unit_id, a.group_id, f.assignment_id, f.rating, f.updated_at, f.version::text as version
       from public.feedback f join public.assignments a on a.id = f.assignment_id where f.pupil_id = any ($1)`,
      [first.pupilIds],
    );
    const expected = oracle(cells.rows);
    // The marking reached the interesting cases: several groups, assignments and clears.
    expect(expected.units.some((row) => row.group_ids.length > 1)).toBe(true);
    expect(expected.units.some((row) => row.assignments_counted > 1)).toBe(true);
    expect(cells.rows.some((c) => c.rating === null)).toBe(true);

    const actual = await fromViews(first.pupilIds);
    expect(actual.units).toEqual(sorted(expected.units));
    expect(actual.summaries).toEqual(sorted(expected.summaries));
  });
});
