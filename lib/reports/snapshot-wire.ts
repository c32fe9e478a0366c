/**
 * A report snapshot as it crosses from the server to the browser: the pages' props to the
 * report store (inlined in the HTML as React Server Component payload) and the result of
 * loadReportSnapshotAction. Every uuid is written once in `ids` and referred to by index,
 * and the long lists (pupils, unit rows, criterion rows) are tuples rather than objects that
 * repeat their keys. A 120-pupil × 12-unit group snapshot is 483 KB as objects and about a
 * fifth of that here. decodeSnapshot(encodeSnapshot(s)) deep-equals s
 * (snapshot-wire.test.ts). Pure functions: used on both sides.
 */
import type {
  AssignmentInfo,
  CriterionInfo,
  CriterionRow,
  GroupInfo,
  GroupLevelStats,
  PupilRow,
  ReportSnapshot,
  UnitInfo,
  UnitRow,
  WorkingLevelBand,
} from '@/stores/report-store';

type IdRef = number;

export type PupilTuple = [
  pupil: IdRef,
  firstName: string,
  lastName: string,
  groups: IdRef[],
  overallAverage: number | null,
  workingLevel: string | null,
  cachedVersion: number | null,
  feedbackVersion: number | null,
];

export type UnitRowTuple = [
  pupil: IdRef,
  unit: IdRef,
  groups: IdRef[],
  assignmentsCounted: number,
  criteriaRated: number,
  averageRating: number,
  workingLevel: string,
  lastFeedbackAt: string,
  sourceVersion: number,
];

export type CriterionRowTuple = [
  pupil: IdRef,
  criterion: IdRef,
  unit: IdRef,
  group: IdRef,
  rating: number,
  version: number,
  updatedAt: string,
];

export type SnapshotWire = {
  ids: string[];
  // Short lists stay as they are.
  bands: WorkingLevelBand[];
  groups: GroupInfo[];
  units: UnitInfo[];
  assignments: AssignmentInfo[];
  criteria: CriterionInfo[];
  groupStats: GroupLevelStats[];
  pupils: PupilTuple[];
  unitRows: UnitRowTuple[];
  criterionRows: CriterionRowTuple[];
};

/** Numbers each distinct id in order of first appearance. */
class IdTable {
  readonly ids: string[] = [];
  private readonly positions = new Map<string, number>();

  ref(id: string): IdRef {
    let position = this.positions.get(id);
    if (position === undefined) {
      position = this.ids.length;
      this.ids.push(id);
      this.positions.set(id, position);
    }
    return position;
  }
}

export function encodeSnapshot(snapshot: ReportSnapshot): SnapshotWire {
  const table = new IdTable();
  const refs = (ids: string[]) => ids.map((id) => table.ref(id));
  const pupils = snapshot.pupils.map(
    (p): PupilTuple => [table.ref(p.pupilId), p.firstName, p.lastName, refs(p.groupIds), p.overallAverage, p.workingLevel, p.cachedVersion, p.feedbackVersion],
  );
  const unitRows = snapshot.unitRows.map(
    (r): UnitRowTuple => [
      table.ref(r.pupilId),
      table.ref(r.unitId),
      refs(r.groupIds),
      r.assignmentsCounted,
      r.criteriaRated,
      r.averageRating,
      r.workingLevel,
      r.lastFeedbackAt,
      r.sourceVersion,
    ],
  );
  const criterionRows = snapshot.criterionRows.map(
    (c): CriterionRowTuple => [table.ref(c.pupilId), table.ref(c.successCriterionId), table.ref(c.unitId), table.ref(c.groupId), c.rating, c.version, c.updatedAt],
  );
  return {
    ids: table.ids,
    bands: snapshot.bands,
    groups: snapshot.groups,
    units: snapshot.units,
    assignments: snapshot.assignments,
    criteria: snapshot.criteria,
    groupStats: snapshot.groupStats,
    pupils,
    unitRows,
    criterionRows,
  };
}

export class SnapshotWireError extends Error {
  constructor(reference: number) {
    super(`report snapshot refers to id #${reference}, which it does not contain`);
    this.name = 'SnapshotWireError';
  }
}

export function decodeSnapshot(wire: SnapshotWire): ReportSnapshot {
  const id = (reference: IdRef): string => {
    const value = wire.ids[reference];
    if (value === undefined) throw new SnapshotWireError(reference);
    return value;
  };
  const pupils = wire.pupils.map(
    ([pupil, firstName, lastName, groups, overallAverage, workingLevel, cachedVersion, feedbackVersion]): PupilRow => ({
      pupilId: id(pupil),
      firstName,
      lastName,
      groupIds: groups.map(id),
      overallAverage,
      workingLevel,
      cachedVersion,
      feedbackVersion,
    }),
  );
  const unitRows = wire.unitRows.map(
    ([pupil, unit, groups, assignmentsCounted, criteriaRated, averageRating, workingLevel, lastFeedbackAt, sourceVersion]): UnitRow => ({
      pupilId: id(pupil),
      unitId: id(unit),
      groupIds: groups.map(id),
      assignmentsCounted,
      criteriaRated,
      averageRating,
      workingLevel,
      lastFeedbackAt,
      sourceVersion,
    }),
  );
  const criterionRows = wire.criterionRows.map(
    ([pupil, criterion, unit, group, rating, version, updatedAt]): CriterionRow => ({
      pupilId: id(pupil),
      successCriterionId: id(criterion),
      unitId: id(unit),
      groupId: id(group),
      rating,
      version,
      updatedAt,
    }),
  );
  return {
    bands: wire.bands,
    groups: wire.groups,
    units: wire.units,
    assignments: wire.assignments,
    criteria: wire.criteria,
    groupStats: wire.groupStats,
    pupils,
    unitRows,
    criterionRows,
  };
}
