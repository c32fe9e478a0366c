/** The report snapshot's wire form: lossless, smaller, and a bad reference is an error, not a wrong row. */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '@/tests/fixtures/school/seeded-random';
import type { ReportSnapshot } from '@/stores/report-store';
import { decodeSnapshot, encodeSnapshot, SnapshotWireError } from './snapshot-wire';
import { SnapshotJsonError, snapshotWireFromJson, snapshotWireToJson } from './snapshot-wire-json';

const LEVELS = ['not_yet', 'working_towards', 'secure', 'exceeding'];

/** A snapshot shaped like a group page's: pupils in a few groups, a row per pupil × unit, some criteria. */
function generatedSnapshot(seed: number, pupilCount: number, unitCount: number): ReportSnapshot {
  const rng = seededRandom(seed);
  const random = () => rng.next();
  const pick = <T,>(items: T[]): T => rng.pick(items);
  const groupIds = [randomUUID(), randomUUID(), randomUUID()];
  const units = Array.from({ length: unitCount }, (_, position) => ({ id: randomUUID(), name: `Unit ${position} "quoted", ü`, position }));
  const criteria = units.map((unit) => ({ id: randomUUID(), unitId: unit.id, position: 1, description: 'Explains, with ∑ and\nnewlines' }));
  const pupils = Array.from({ length: pupilCount }, (_, n) => ({
    pupilId: randomUUID(),
    firstName: `Zoë ${n}`,
    lastName: `O'Brien-${n}`,
    groupIds: groupIds.filter(() => random() < 0.6),
    overallAverage: random() < 0.2 ? null : Math.round(random() * 300) / 100,
    workingLevel: random() < 0.2 ? null : pick(LEVELS),
    cachedVersion: random() < 0.2 ? null : Math.floor(random() * 1e6),
    feedbackVersion: random() < 0.2 ? null : Math.floor(random() * 1e6),
  }));
  return {
    bands: LEVELS.map((workingLevel, i) => ({ workingLevel, label: workingLevel, minAverage: i, maxAverage: i + 1 })),
    groups: groupIds.map((id, i) => ({ id, name: `G${i}`, subject: 'Science', yearGroup: 7 + i })),
    units,
    assignments: units.map((unit) => ({ id: randomUUID(), unitId: unit.id, title: 'Test', setOn: '2026-09-01', dueOn: null })),
    criteria,
    pupils,
    unitRows: pupils.flatMap((pupil) =>
      units.map((unit) => ({
        pupilId: pupil.pupilId,
        unitId: unit.id,
        groupIds: [pick(groupIds)],
        assignmentsCounted: Math.floor(random() * 4),
        criteriaRated: Math.floor(random() * 19),
        averageRating: Math.round(random() * 300) / 100,
        workingLevel: pick(LEVELS),
        lastFeedbackAt: '2026-11-20T10:12:13.123456+00:00',
        sourceVersion: Math.floor(random() * 1e9),
      })),
    ),
    groupStats: groupIds.flatMap((groupId) => LEVELS.map((workingLevel) => ({ groupId, workingLevel, rowsCounted: rng.int(50), criteriaRated: rng.int(500), weightedHundredths: rng.int(100_000) }))),
    criterionRows: pupils.slice(0, 5).flatMap((pupil) =>
      criteria.map((criterion) => ({
        pupilId: pupil.pupilId,
        successCriterionId: criterion.id,
        unitId: criterion.unitId,
        groupId: pick(groupIds),
        rating: Math.floor(random() * 4),
        version: Math.floor(random() * 1e6),
        updatedAt: '2026-11-20T10:12:13Z',
      })),
    ),
  };
}

describe('snapshot wire form', () => {
  it.each([1, 2, 3])('decodes to exactly the snapshot it encoded (seed %i)', (seed) => {
    const snapshot = generatedSnapshot(seed, 40, 6);
    // Through JSON, as a page hands it to the browser's store.
    expect(decodeSnapshot(snapshotWireFromJson(snapshotWireToJson(encodeSnapshot(snapshot))))).toEqual(snapshot);
  });

  it('leaves the last-feedback column out when no row carries it (the group page), and decodes it as null', () => {
    const snapshot = generatedSnapshot(8, 5, 3);
    const withoutDates = { ...snapshot, unitRows: snapshot.unitRows.map((row) => ({ ...row, lastFeedbackAt: null })) };
    const wire = snapshotWireFromJson(snapshotWireToJson(encodeSnapshot(withoutDates)));
    expect(wire.unitRows.lastFeedbackAt).toBeNull();
    expect(decodeSnapshot(wire)).toEqual(withoutDates);
    // One row with a date keeps the column, nulls included.
    const oneDated = { ...withoutDates, unitRows: withoutDates.unitRows.map((row, i) => (i === 2 ? { ...row, lastFeedbackAt: '2026-11-21T08:00:00+00:00' } : row)) };
    expect(decodeSnapshot(encodeSnapshot(oneDated))).toEqual(oneDated);
  });

  it('round-trips an empty snapshot', () => {
    const empty: ReportSnapshot = { bands: [], groups: [], units: [], assignments: [], criteria: [], pupils: [], unitRows: [], criterionRows: [], groupStats: [] };
    expect(decodeSnapshot(encodeSnapshot(empty))).toEqual(empty);
  });

  it('writes each id once and is much smaller than the objects for a 120 × 12 group', () => {
    const snapshot = generatedSnapshot(7, 120, 12);
    const wire = encodeSnapshot(snapshot);
    expect(new Set(wire.ids).size).toBe(wire.ids.length);
    const asObjects = JSON.stringify(snapshot).length;
    const asWire = JSON.stringify(wire).length;
    expect(asWire).toBeLessThan(asObjects * 0.45);
  });

  it('refuses a reference to an id the wire does not hold', () => {
    const wire = encodeSnapshot(generatedSnapshot(4, 3, 2));
    const broken = { ...wire, unitRows: { ...wire.unitRows, pupil: [wire.ids.length + 5, ...wire.unitRows.pupil.slice(1)] } };
    expect(() => decodeSnapshot(broken)).toThrow(/id #/);
  });

  it('refuses a level or group set the wire does not hold, and columns of different lengths', () => {
    const wire = encodeSnapshot(generatedSnapshot(5, 3, 2));
    const rows = wire.unitRows;
    expect(() => decodeSnapshot({ ...wire, unitRows: { ...rows, level: [rows.levels.length, ...rows.level.slice(1)] } })).toThrow(/level #/);
    expect(() => decodeSnapshot({ ...wire, unitRows: { ...rows, groupSet: [rows.groupSets.length, ...rows.groupSet.slice(1)] } })).toThrow(/group set #/);
    expect(() => decodeSnapshot({ ...wire, unitRows: { ...rows, sourceVersion: rows.sourceVersion.slice(1) } })).toThrow(SnapshotWireError);
  });

  it('shares one group set and one level table across rows', () => {
    const wire = encodeSnapshot(generatedSnapshot(6, 30, 4));
    // generatedSnapshot puts each row in one of three groups: at most three sets.
    expect(wire.unitRows.groupSets.length).toBeLessThanOrEqual(3);
    expect(new Set(wire.unitRows.levels).size).toBe(wire.unitRows.levels.length);
    expect(wire.unitRows.pupil).toHaveLength(120);
  });
});

describe("snapshot wire as JSON (a page's prop)", () => {
  const json = () => snapshotWireToJson(encodeSnapshot(generatedSnapshot(9, 6, 3)));
  const edited = (edit: (wire: Record<string, unknown> & { unitRows: Record<string, unknown>; pupils: unknown[][] }) => void) => {
    const wire = JSON.parse(json());
    edit(wire);
    return JSON.stringify(wire);
  };

  it('refuses text that is not JSON, with what JSON.parse said', () => {
    expect(() => snapshotWireFromJson('{"ids": [')).toThrow(SnapshotJsonError);
  });

  it('names the column holding a value of the wrong type', () => {
    const bad = edited((wire) => {
      (wire.unitRows.averageRating as unknown[])[2] = '2.50';
    });
    expect(() => snapshotWireFromJson(bad)).toThrow(/averageRating/);
  });

  it('refuses a pupil tuple of the wrong length and a missing list', () => {
    expect(() => snapshotWireFromJson(edited((wire) => void wire.pupils[0]!.pop()))).toThrow(/pupils/);
    expect(() => snapshotWireFromJson(edited((wire) => void delete wire.bands))).toThrow(/bands/);
  });

  it("accepts the group page's wire, whose last-feedback column is null", () => {
    const wire = encodeSnapshot({ ...generatedSnapshot(10, 4, 2), criterionRows: [] });
    const withoutDates = { ...wire, unitRows: { ...wire.unitRows, lastFeedbackAt: null } };
    expect(snapshotWireFromJson(snapshotWireToJson(withoutDates))).toEqual(withoutDates);
  });
});
