/** The compact export page: a well-formed page parses and becomes CSV records; malformed ones are refused. */
import { describe, expect, it } from 'vitest';
import { parseExportPage } from './export-page';

const G = 'c0000000-0000-4000-8000-000000000001';
const P1 = 'b0000000-0000-4000-8000-000000000001';
const P2 = 'b0000000-0000-4000-8000-000000000002';
const U1 = 'd0000000-0000-4000-8000-000000000001';
const U2 = 'd0000000-0000-4000-8000-000000000002';

/** Two pupils of one group; the first has two unit rows, the second none. As the RPC sends it. */
function wirePage() {
  return {
    groups: { id: [G], name: ['10Sc1, "top"'] },
    units: { id: [U1, U2], name: ['Cells', 'Forces'] },
    pupils: { group: [0, 0], id: [P1, P2], last_name: ["O'Brien", '李'], first_name: ['Zoë', 'Ann'] },
    levels: ['secure', 'working_towards'],
    rows: {
      pupil: [0, 0],
      unit: [0, 1],
      assignments_counted: [2, 1],
      criteria_rated: [4, 3],
      average_rating_hundredths: [250, 100],
      working_level: [0, 1],
      last_feedback_at_ms: [Date.parse('2026-10-01T09:00:00.123Z'), Date.parse('2026-10-02T10:00:00.000Z')],
      source_version: [17, 21],
    },
    next: { group_id: G, pupil_id: P2 },
  };
}

describe('parseExportPage', () => {
  it('reads a well-formed page, next cursor included', () => {
    const page = parseExportPage(wirePage());
    expect(page?.next).toEqual({ groupId: G, pupilId: P2 });
    expect(page?.rows.pupil).toHaveLength(2);
    expect(page?.pupils.lastName).toEqual(["O'Brien", '李']);
  });

  it('reads the last page (next null) and an empty page', () => {
    expect(parseExportPage({ ...wirePage(), next: null })?.next).toBeNull();
    const empty = {
      groups: { id: [], name: [] },
      units: { id: [], name: [] },
      pupils: { group: [], id: [], last_name: [], first_name: [] },
      levels: [],
      rows: { pupil: [], unit: [], assignments_counted: [], criteria_rated: [], average_rating_hundredths: [], working_level: [], last_feedback_at_ms: [], source_version: [] },
      next: null,
    };
    expect(parseExportPage(empty)?.rows.pupil).toEqual([]);
  });

  it.each([
    ['not an object', () => 'nope'],
    ['the old row-shaped page', () => [{ group_id: G, pupil_id: P1, unit_id: U1 }]],
    ['a missing table', () => ({ ...wirePage(), units: undefined })],
    ['a column of the wrong type', () => ({ ...wirePage(), rows: { ...wirePage().rows, source_version: ['17', '21'] } })],
    ['a null unit name (unit not readable)', () => ({ ...wirePage(), units: { id: [U1, U2], name: ['Cells', null] } })],
    ['a short column', () => ({ ...wirePage(), rows: { ...wirePage().rows, working_level: ['secure'] } })],
    ['a row pointing past the pupils', () => ({ ...wirePage(), rows: { ...wirePage().rows, pupil: [0, 2] } })],
    ['a row pointing past the units', () => ({ ...wirePage(), rows: { ...wirePage().rows, unit: [0, 5] } })],
    ['a pupil pointing past the groups', () => ({ ...wirePage(), pupils: { ...wirePage().pupils, group: [0, 1] } })],
    ['a negative index', () => ({ ...wirePage(), rows: { ...wirePage().rows, unit: [0, -1] } })],
    ['a fractional index', () => ({ ...wirePage(), rows: { ...wirePage().rows, unit: [0, 0.5] } })],
    ['a bad cursor', () => ({ ...wirePage(), next: { group_id: G } })],
    ['a pupil id that is not a uuid', () => ({ ...wirePage(), pupils: { ...wirePage().pupils, id: [P1, 'p2'] } })],
    ['a timestamp sent as text', () => ({ ...wirePage(), rows: { ...wirePage().rows, last_feedback_at_ms: ['2026-10-01T09:00:00.000Z', 0] } })],
    ['a timestamp outside the Date range', () => ({ ...wirePage(), rows: { ...wirePage().rows, last_feedback_at_ms: [0, 8.64e15 + 1] } })],
    ['an average sent as text', () => ({ ...wirePage(), rows: { ...wirePage().rows, average_rating_hundredths: ['2.50', '1.00'] } })],
    ['an average not in whole hundredths', () => ({ ...wirePage(), rows: { ...wirePage().rows, average_rating_hundredths: [250, 100.5] } })],
    ['a count that is not an integer', () => ({ ...wirePage(), rows: { ...wirePage().rows, criteria_rated: [4, 3.5] } })],
    ['a row pointing past the levels', () => ({ ...wirePage(), rows: { ...wirePage().rows, working_level: [0, 2] } })],
    ['a level that is not text', () => ({ ...wirePage(), levels: ['secure', null] })],
    ['no levels list', () => ({ ...wirePage(), levels: undefined })],
  ])('refuses %s', (_name, make) => {
    expect(parseExportPage(make())).toBeNull();
  });
});
