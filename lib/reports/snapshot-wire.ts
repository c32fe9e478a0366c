/**
 * A report snapshot as it crosses from the server to the browser: the pages' props to the
 * report store (inlined in the HTML as React Server Component payload) and the result of
 * loadReportSnapshotAction. Every uuid is written once in `ids` and referred to by index;
 * pupils and criterion rows are tuples rather than objects that repeat their keys; unit rows,
 * the long list (1,440 on a 120 × 12 group page), are parallel arrays, one per column, so
 * the payload is a dozen arrays of numbers and strings instead of 1,440 small arrays that
 * React's serialiser, JSON.parse and the garbage collector each handle one by one. The group
 * page builds this form straight from its RPC's column arrays (group-page.ts).
 * decodeSnapshot(encodeSnapshot(s)) deep-equals s (snapshot-wire.test.ts). Pure functions:
 * used on both sides.
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

/** Unit rows as columns: row k is the k-th element of every array. */
export type UnitRowColumns = {
  pupil: IdRef[];
  unit: IdRef[];
  /** Per row, an index into groupSets (rows of one page mostly share one set of groups). */
  groupSet: number[];
  groupSets: IdRef[][];
  assignmentsCounted: number[];
  criteriaRated: number[];
  averageRating: number[];
  /** Per row, an index into levels. */
  level: number[];
  levels: string[];
  /** Null when no row carries it (the group page's snapshot). */
  lastFeedbackAt: (string | null)[] | null;
  sourceVersion: number[];
};

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
  unitRows: UnitRowColumns;
  criterionRows: CriterionRowTuple[];
};

/** Numbers each distinct value (an id, a working level, a set of groups) in order of first appearance. */
export class ValueTable<T> {
  readonly values: T[] = [];
  private readonly positions = new Map<string, number>();

  constructor(private readonly keyOf: (value: T) => string) {}

  ref(value: T): number {
    const key = this.keyOf(value);
    let position = this.positions.get(key);
    if (position === undefined) {
      position = this.values.length;
      this.values.push(value);
      this.positions.set(key, position);
    }
    return position;
  }
}

/** The wire's id table: every uuid once, referred to by its position. */
export class IdTable extends ValueTable<string> {
  constructor() {
    super((id) => id);
  }

  get ids(): string[] {
    return this.values;
  }

  refs(ids: readonly string[]): IdRef[] {
    return ids.map((id) => this.ref(id));
  }
}

export const groupSetTable = () => new ValueTable<IdRef[]>((refs) => refs.join(','));
export const levelTable = () => new ValueTable<string>((level) => level);

function unitRowColumns(rows: UnitRow[], table: IdTable): UnitRowColumns {
  const groupSets = groupSetTable();
  const levels = levelTable();
  return {
    pupil: rows.map((r) => table.ref(r.pupilId)),
    unit: rows.map((r) => table.ref(r.unitId)),
    groupSet: rows.map((r) => groupSets.ref(table.refs(r.groupIds))),
    groupSets: groupSets.values,
    assignmentsCounted: rows.map((r) => r.assignmentsCounted),
    criteriaRated: rows.map((r) => r.criteriaRated),
    averageRating: rows.map((r) => r.averageRating),
    level: rows.map((r) => levels.ref(r.workingLevel)),
    levels: levels.values,
    lastFeedbackAt: rows.some((r) => r.lastFeedbackAt !== null) ? rows.map((r) => r.lastFeedbackAt) : null,
    sourceVersion: rows.map((r) => r.sourceVersion),
  };
}

export function encodeSnapshot(snapshot: ReportSnapshot): SnapshotWire {
  const table = new IdTable();
  const pupils = snapshot.pupils.map(
    (p): PupilTuple => [table.ref(p.pupilId), p.firstName, p.lastName, table.refs(p.groupIds), p.overallAverage, p.workingLevel, p.cachedVersion, p.feedbackVersion],
  );
  const unitRows = unitRowColumns(snapshot.unitRows, table);
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
  constructor(message: string) {
    super(`report snapshot: ${message}`);
    this.name = 'SnapshotWireError';
  }
}

function decodeUnitRows(columns: UnitRowColumns, id: (reference: IdRef) => string): UnitRow[] {
  const { pupil, unit, groupSet, assignmentsCounted, criteriaRated, averageRating, level, lastFeedbackAt, sourceVersion } = columns;
  const lengths = [unit, groupSet, assignmentsCounted, criteriaRated, averageRating, level, lastFeedbackAt ?? pupil, sourceVersion].map((c) => c.length);
  if (lengths.some((length) => length !== pupil.length)) throw new SnapshotWireError('unit row columns differ in length');
  const groupSets = columns.groupSets.map((refs) => refs.map(id));
  const entry = <T>(items: readonly T[], position: number, what: string): T => {
    const item = items[position];
    if (item === undefined) throw new SnapshotWireError(`refers to ${what} #${position}, which it does not contain`);
    return item;
  };
  return pupil.map((pupilRef, k) => ({
    pupilId: id(pupilRef),
    unitId: id(unit[k]!),
    // Rows of one set share its array: the store's state is immutable (immer freezes it).
    groupIds: entry(groupSets, groupSet[k]!, 'group set'),
    assignmentsCounted: assignmentsCounted[k]!,
    criteriaRated: criteriaRated[k]!,
    averageRating: averageRating[k]!,
    workingLevel: entry(columns.levels, level[k]!, 'level'),
    lastFeedbackAt: lastFeedbackAt ? lastFeedbackAt[k]! : null,
    sourceVersion: sourceVersion[k]!,
  }));
}

export function decodeSnapshot(wire: SnapshotWire): ReportSnapshot {
  const id = (reference: IdRef): string => {
    const value = wire.ids[reference];
    if (value === undefined) throw new SnapshotWireError(`refers to id #${reference}, which it does not contain`);
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
  const unitRows = decodeUnitRows(wire.unitRows, id);
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
