/** The report store: version ordering, snapshot on (re)subscribe, highlights, recalculating, derived maths. */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../tests/fixtures/school/seeded-random';
import { createReportStore, selectUnitRow, unitRowKey, type GroupLevelStats, type PupilRow, type ReportSnapshot, type UnitRow } from './report-store';
import {
  averageFromHundredths,
  cellChangedVersion,
  selectGroupCohort,
  selectIsRecalculating,
  selectOverviewGroups,
  selectOverviewPupils,
  selectPupilReport,
  selectVisibleUnitIds,
  weightedAverage,
} from './report-store-selectors';

const G1 = 'g1';
const G2 = 'g2';
const U1 = 'u1';
const U2 = 'u2';

const bands = [
  { workingLevel: 'not_yet', label: 'Not yet', minAverage: 0, maxAverage: 0.5 },
  { workingLevel: 'working_towards', label: 'Working towards', minAverage: 0.5, maxAverage: 1.5 },
  { workingLevel: 'secure', label: 'Secure', minAverage: 1.5, maxAverage: 2.5 },
  { workingLevel: 'exceeding', label: 'Exceeding', minAverage: 2.5, maxAverage: 3.01 },
];

function pupil(id: string, lastName: string, extra: Partial<PupilRow> = {}): PupilRow {
  return {
    pupilId: id, firstName: 'Pupil', lastName, groupIds: [G1], overallAverage: null, workingLevel: null,
    cachedVersion: null, feedbackVersion: null, ...extra,
  };
}

function row(pupilId: string, unitId: string, averageRating: number, sourceVersion: number, extra: Partial<UnitRow> = {}): UnitRow {
  const level = bands.find((b) => averageRating >= b.minAverage && averageRating < b.maxAverage)!.workingLevel;
  return {
    pupilId, unitId, groupIds: [G1], assignmentsCounted: 1, criteriaRated: 4, averageRating, workingLevel: level,
    lastFeedbackAt: '2026-10-01T09:00:00Z', sourceVersion, ...extra,
  };
}

function snapshot(extra: Partial<ReportSnapshot> = {}): ReportSnapshot {
  return {
    bands,
    groups: [{ id: G1, name: '10Sc1', subject: 'Science', yearGroup: 10 }, { id: G2, name: '10Sc2', subject: 'Science', yearGroup: 10 }],
    units: [{ id: U2, name: 'Forces', position: 2 }, { id: U1, name: 'Cells', position: 1 }],
    assignments: [
      { id: 'a1', unitId: U1, title: 'Cells task', setOn: '2026-09-07', dueOn: null },
      { id: 'a2', unitId: U2, title: 'Forces task', setOn: '2026-10-05', dueOn: null },
    ],
    criteria: [
      { id: 'c1', unitId: U1, position: 1, description: 'Recalls' },
      { id: 'c2', unitId: U1, position: 2, description: 'Explains' },
    ],
    pupils: [pupil('p1', 'Adams', { cachedVersion: 10, feedbackVersion: 10, overallAverage: 2, workingLevel: 'secure' }), pupil('p2', 'Brown')],
    unitRows: [row('p1', U1, 2, 10), row('p1', U2, 1, 8), row('p2', U1, 3, 9, { criteriaRated: 2 })],
    criterionRows: [{ pupilId: 'p1', successCriterionId: 'c1', unitId: U1, groupId: G1, rating: 2, version: 10, updatedAt: 'x' }],
    groupStats: [],
    ...extra,
  };
}

const fresh = () => createReportStore({ kind: 'group', groupId: G1 }, snapshot());

describe('version ordering', () => {
  it('applies a newer row and flags it changed; ignores an older one', () => {
    const store = fresh();
    store.getState().remoteUnitRowReceived(row('p1', U1, 3, 12));
    expect(selectUnitRow(store.getState(), 'p1', U1)?.averageRating).toBe(3);
    expect(store.getState().changed[unitRowKey('p1', U1)]).toBe(12);

    store.getState().remoteUnitRowReceived(row('p1', U1, 0, 11));
    expect(selectUnitRow(store.getState(), 'p1', U1)?.averageRating).toBe(3);
  });

  it('a replayed duplicate changes nothing and is not highlighted again', () => {
    const store = fresh();
    store.getState().remoteUnitRowReceived(row('p1', U1, 2, 10));
    expect(store.getState().changed[unitRowKey('p1', U1)]).toBeUndefined();
  });

  it('a delete removes the row; an older upsert replayed afterwards does not resurrect it', () => {
    const store = fresh();
    store.getState().remoteUnitRowDeleted({ pupilId: 'p1', unitId: U2, sourceVersion: 13 });
    expect(selectUnitRow(store.getState(), 'p1', U2)).toBeUndefined();
    store.getState().remoteUnitRowReceived(row('p1', U2, 1, 12));
    expect(selectUnitRow(store.getState(), 'p1', U2)).toBeUndefined();
    store.getState().remoteUnitRowReceived(row('p1', U2, 2, 14));
    expect(selectUnitRow(store.getState(), 'p1', U2)?.averageRating).toBe(2);
  });

  it('an older delete does not remove a newer row', () => {
    const store = fresh();
    store.getState().remoteUnitRowDeleted({ pupilId: 'p1', unitId: U1, sourceVersion: 9 });
    expect(selectUnitRow(store.getState(), 'p1', U1)).toBeDefined();
  });

  it('criterion rows follow the same rules', () => {
    const store = createReportStore({ kind: 'pupil', pupilId: 'p1' }, snapshot());
    const base = { pupilId: 'p1', successCriterionId: 'c1', unitId: U1, groupId: G1, updatedAt: 'y' };
    store.getState().remoteCriterionReceived({ ...base, rating: 3, version: 15 });
    store.getState().remoteCriterionReceived({ ...base, rating: 0, version: 14 });
    expect(selectPupilReport(store.getState(), 'p1')?.units[0]?.criteria[0]).toMatchObject({ rating: 3, ratingLabel: 'Exceeding', changedVersion: 15 });
  });
});

describe('snapshot on (re)subscribe', () => {
  it('the snapshot replaces rows, dropping ones that disappeared', () => {
    const store = fresh();
    store.getState().snapshotRequested();
    store.getState().snapshotLoaded(snapshot({ unitRows: [row('p1', U1, 2, 10)] }));
    expect(store.getState().unitRows).toEqual({ p1: { [U1]: expect.objectContaining({ pupilId: 'p1', unitId: U1 }) } });
    expect(store.getState().connection).toBe('live');
  });

  it('a row received after the request and newer than the snapshot survives it', () => {
    const store = fresh();
    store.getState().snapshotRequested();
    store.getState().remoteUnitRowReceived(row('p2', U2, 1, 20));
    store.getState().remoteUnitRowReceived(row('p1', U1, 3, 21));
    // The snapshot was read before those two commits.
    store.getState().snapshotLoaded(snapshot());
    expect(selectUnitRow(store.getState(), 'p2', U2)?.sourceVersion).toBe(20);
    expect(selectUnitRow(store.getState(), 'p1', U1)?.averageRating).toBe(3);
  });

  it('a delete received after the request wins over the older snapshot row', () => {
    const store = fresh();
    store.getState().snapshotRequested();
    store.getState().remoteUnitRowDeleted({ pupilId: 'p1', unitId: U2, sourceVersion: 30 });
    store.getState().snapshotLoaded(snapshot());
    expect(selectUnitRow(store.getState(), 'p1', U2)).toBeUndefined();
  });

  it('a newer snapshot row wins over an older live row', () => {
    const store = fresh();
    store.getState().snapshotRequested();
    store.getState().remoteUnitRowReceived(row('p1', U1, 1, 11));
    store.getState().snapshotLoaded(snapshot({ unitRows: [row('p1', U1, 3, 12)] }));
    expect(selectUnitRow(store.getState(), 'p1', U1)?.averageRating).toBe(3);
  });

  it('connection status: connecting → live → reconnecting → live again after the next snapshot', () => {
    const store = fresh();
    expect(store.getState().connection).toBe('connecting');
    store.getState().snapshotRequested();
    store.getState().snapshotLoaded(snapshot());
    expect(store.getState().connection).toBe('live');
    store.getState().connectionLost();
    expect(store.getState().connection).toBe('reconnecting');
    store.getState().snapshotRequested();
    expect(store.getState().connection).toBe('reconnecting');
    store.getState().snapshotLoaded(snapshot());
    expect(store.getState().connection).toBe('live');
    store.getState().connectionClosed();
    expect(store.getState().connection).toBe('offline');
  });
});

describe('recalculating', () => {
  it('feedback newer than the cached summary marks the pupil; the summary catching up clears it', () => {
    const store = fresh();
    expect(selectIsRecalculating(store.getState(), 'p1')).toBe(false);
    store.getState().remoteFeedbackReceived({ pupilId: 'p1', version: 40, rated: true });
    expect(selectIsRecalculating(store.getState(), 'p1')).toBe(true);
    expect(selectGroupCohort(store.getState(), G1).pupils.find((p) => p.pupilId === 'p1')?.recalculating).toBe(true);
    store.getState().remotePupilSummaryReceived({ pupilId: 'p1', overallAverage: 2.5, workingLevel: 'exceeding', sourceVersion: 40 });
    expect(selectIsRecalculating(store.getState(), 'p1')).toBe(false);
    expect(store.getState().pupils.p1?.overallAverage).toBe(2.5);
  });

  it('a summary deleted after the last cell was cleared is not left recalculating', () => {
    const store = fresh();
    store.getState().remoteFeedbackReceived({ pupilId: 'p1', version: 41, rated: false });
    store.getState().remotePupilSummaryDeleted({ pupilId: 'p1', sourceVersion: 39 });
    expect(selectIsRecalculating(store.getState(), 'p1')).toBe(false);
  });

  it('a cleared cell of a pupil with nothing cached waits for nothing', () => {
    const store = fresh();
    store.getState().remoteFeedbackReceived({ pupilId: 'p2', version: 42, rated: false });
    expect(selectIsRecalculating(store.getState(), 'p2')).toBe(false);
  });
});

describe('derived maths', () => {
  it('group cohort: units in position order, weighted averages, distribution per unit, heatmap cells', () => {
    const cohort = selectGroupCohort(fresh().getState(), G1);
    expect(cohort.units.map((u) => u.unitName)).toEqual(['Cells', 'Forces']);
    // Cells: p1 2.00 over 4 criteria, p2 3.00 over 2 → (8 + 6) / 6 = 2.33
    expect(cohort.units[0]).toMatchObject({ average: 2.33, workingLevel: 'secure', pupilsCounted: 2 });
    expect(cohort.units[0]?.distribution.map((d) => d.count)).toEqual([0, 0, 1, 1]);
    expect(cohort.pupils.map((p) => p.cells.map((c) => c?.averageRating ?? null))).toEqual([[2, 1], [3, null]]);
    expect(cohort.average).toBe(1.8); // (2×4 + 1×4 + 3×2) / 10 rated cells
  });

  it('rows fed by another group stay out of this group', () => {
    const store = fresh();
    store.getState().remoteUnitRowReceived(row('p2', U2, 0, 50, { groupIds: [G2] }));
    expect(selectGroupCohort(store.getState(), G1).pupils[1]?.cells[1]).toBeNull();
  });

  it('filters: by unit, and by the date range the units were set in', () => {
    const store = fresh();
    store.getState().unitFilterChanged([U2]);
    expect(selectVisibleUnitIds(store.getState())).toEqual([U2]);
    store.getState().unitFilterChanged(null);
    store.getState().dateRangeChanged({ from: '2026-09-01', to: '2026-09-30' });
    expect(selectVisibleUnitIds(store.getState())).toEqual([U1]);
    expect(selectGroupCohort(store.getState(), G1).units).toHaveLength(1);
  });

  it('a live change shows in the heatmap with its version (the highlight)', () => {
    const store = fresh();
    store.getState().remoteUnitRowReceived(row('p2', U1, 0, 60, { criteriaRated: 2 }));
    const cohort = selectGroupCohort(store.getState(), G1);
    expect(cohort.pupils[1]?.cells[0]).toMatchObject({ averageRating: 0, workingLevel: 'not_yet' });
    expect(cellChangedVersion(cohort, 'p2', U1)).toBe(60);
    expect(cellChangedVersion(cohort, 'p1', U1)).toBeUndefined();
    expect(cellChangedVersion(selectGroupCohort(fresh().getState(), G1), 'p2', U1)).toBeUndefined();
    expect(cohort.units[0]?.distribution.map((d) => d.count)).toEqual([1, 0, 1, 0]);
  });

  it('empty group: no rows, null averages, all-zero distribution', () => {
    const store = createReportStore({ kind: 'group', groupId: G2 }, snapshot());
    const cohort = selectGroupCohort(store.getState(), G2);
    expect(cohort).toMatchObject({ average: null, workingLevel: null, rowsCounted: 0 });
    expect(cohort.distribution.every((d) => d.count === 0)).toBe(true);
  });

  /** What reports_overview_group_stats returns for rows of one group: per level, count, weight, Σ average × 100 × weight. */
  function statsOf(groupId: string, rows: UnitRow[]): GroupLevelStats[] {
    const byLevel = new Map<string, GroupLevelStats>();
    for (const r of rows) {
      const level = byLevel.get(r.workingLevel) ?? { groupId, workingLevel: r.workingLevel, rowsCounted: 0, criteriaRated: 0, weightedHundredths: 0 };
      level.rowsCounted += 1;
      level.criteriaRated += r.criteriaRated;
      level.weightedHundredths += Math.round(r.averageRating * 100) * r.criteriaRated;
      byLevel.set(r.workingLevel, level);
    }
    return [...byLevel.values()];
  }

  it('overview: each group with its average and distribution from the database aggregates; pupil search ignores case and accents', () => {
    const rows = [row('p1', U1, 2, 10), row('p1', U2, 1, 8), row('p2', U1, 3, 9, { criteriaRated: 2 })];
    const store = createReportStore(
      { kind: 'overview' },
      snapshot({ pupils: [pupil('p1', 'Adams'), pupil('p2', 'Brönte')], unitRows: [], groupStats: statsOf(G1, rows) }),
    );
    const groups = selectOverviewGroups(store.getState());
    expect(groups.map((g) => [g.name, g.average, g.rowsCounted, g.pupilCount])).toEqual([['10Sc1', 1.8, 3, 2], ['10Sc2', null, 0, 0]]);
    expect(groups[0]!.distribution.map((d) => d.count)).toEqual([0, 1, 1, 1]);
    expect(selectOverviewPupils(store.getState(), 'bronte').map((p) => p.pupilId)).toEqual(['p2']);
    expect(selectOverviewPupils(store.getState(), '').map((p) => p.pupilId)).toEqual(['p1', 'p2']);
  });

  it('overview: a refresh replaces only the groups it names, and a group with no rows left loses its figures', () => {
    const rows = [row('p1', U1, 2, 10), row('p2', U1, 3, 9)];
    const store = createReportStore({ kind: 'overview' }, snapshot({ unitRows: [], groupStats: [...statsOf(G1, rows), ...statsOf(G2, rows)] }));
    store.getState().groupStatsLoaded([G1], statsOf(G1, [row('p1', U1, 1, 11)]));
    expect(selectOverviewGroups(store.getState()).map((g) => [g.name, g.average, g.rowsCounted])).toEqual([['10Sc1', 1, 1], ['10Sc2', 2.5, 2]]);
    store.getState().groupStatsLoaded([G2], []);
    expect(selectOverviewGroups(store.getState()).map((g) => [g.name, g.average, g.rowsCounted])).toEqual([['10Sc1', 1, 1], ['10Sc2', null, 0]]);
  });

  it('the overview (database aggregates) and the group page (rows) compute the same average, to the last digit', () => {
    const random = seededRandom(11);
    for (let trial = 0; trial < 500; trial += 1) {
      const rows = Array.from({ length: 1 + random.int(40) }, (_, i) =>
        row(`p${i}`, U1, random.int(301) / 100, i, { criteriaRated: 1 + random.int(18) }),
      );
      const parts = statsOf(G1, rows).reduce((sum, level) => ({ w: sum.w + level.criteriaRated, h: sum.h + level.weightedHundredths }), { w: 0, h: 0 });
      expect(averageFromHundredths(parts.h, parts.w)).toBe(weightedAverage(rows));
    }
  });
});
