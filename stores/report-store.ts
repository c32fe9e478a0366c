/**
 * The live report store behind /reports, /reports/[pupilId] and /reports/groups/[groupId].
 *
 * State is the last authoritative cached rows, normalised by key; only the realtime adapter
 * (lib/reports/realtime.ts) calls the `remote*` / `snapshot*` / `connection*` actions. Rules:
 *   - a row with a lower source_version never replaces a higher one (deletes too, through
 *     tombstones), so replays and duplicates are harmless;
 *   - on every (re)subscribe the adapter refetches the snapshot: `snapshotRequested` marks
 *     the moment, and rows that arrive between it and `snapshotLoaded` are kept if newer;
 *   - a live change to a value records `changed[key] = version` so the page can flash it;
 *   - a pupil whose feedback is newer than their cached summary is "recalculating".
 * /reports keeps no unit rows: its groups table is `groupStats`, the database's per-group
 * aggregates, replaced wholesale by a snapshot and per group by `groupStatsLoaded`.
 * Derived maths (averages, distributions, heatmap) lives in report-store-selectors.ts.
 */
import { immer } from 'zustand/middleware/immer';
import { createStore, type StoreApi } from 'zustand/vanilla';

export type ReportScope = { kind: 'overview' } | { kind: 'group'; groupId: string } | { kind: 'pupil'; pupilId: string };

export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

export type WorkingLevelBand = { workingLevel: string; label: string; minAverage: number; maxAverage: number };

export type GroupInfo = { id: string; name: string; subject: string; yearGroup: number };
export type UnitInfo = { id: string; name: string; position: number };
export type AssignmentInfo = { id: string; unitId: string; title: string; setOn: string; dueOn: string | null };
export type CriterionInfo = { id: string; unitId: string; position: number; description: string };

export type UnitRow = {
  pupilId: string;
  unitId: string;
  groupIds: string[];
  assignmentsCounted: number;
  criteriaRated: number;
  averageRating: number;
  workingLevel: string;
  /** Null when the snapshot did not carry it: the group page does not show it, so its RPC leaves it out. */
  lastFeedbackAt: string | null;
  sourceVersion: number;
};

export type PupilRow = {
  pupilId: string;
  firstName: string;
  lastName: string;
  groupIds: string[];
  overallAverage: number | null;
  workingLevel: string | null;
  /** Highest feedback version the cached summary is known to reflect (null: nothing cached). */
  cachedVersion: number | null;
  /** Highest feedback version seen for this pupil (null: no feedback that needs a cache row). */
  feedbackVersion: number | null;
};

export type CriterionRow = {
  pupilId: string;
  successCriterionId: string;
  unitId: string;
  groupId: string;
  rating: number;
  version: number;
  updatedAt: string;
};

/** The cached overall summary of one pupil as Realtime delivers it (report_pupil_summary). */
export type PupilSummaryRow = {
  pupilId: string;
  overallAverage: number;
  workingLevel: string;
  sourceVersion: number;
};

/**
 * One group's (pupil, unit) summaries at one working level, aggregated by the database
 * (reports_overview_group_stats): the /reports overview's groups table, without the rows.
 * weightedHundredths = Σ averageRating × 100 × criteriaRated, an exact integer.
 */
export type GroupLevelStats = {
  groupId: string;
  workingLevel: string;
  rowsCounted: number;
  criteriaRated: number;
  weightedHundredths: number;
};

/** What a snapshot load returns; every field replaces the previous one wholesale. */
export type ReportSnapshot = {
  bands: WorkingLevelBand[];
  groups: GroupInfo[];
  units: UnitInfo[];
  assignments: AssignmentInfo[];
  criteria: CriterionInfo[];
  pupils: PupilRow[];
  unitRows: UnitRow[];
  criterionRows: CriterionRow[];
  /** The overview's per-group aggregates (empty on the group and pupil pages). */
  groupStats: GroupLevelStats[];
};

export type ReportFilters = { unitIds: string[] | null; from: string | null; to: string | null };

export type ReportState = {
  scope: ReportScope;
  connection: ConnectionStatus;
  bands: WorkingLevelBand[];
  groups: Record<string, GroupInfo>;
  units: Record<string, UnitInfo>;
  assignments: Record<string, AssignmentInfo>;
  criteria: Record<string, CriterionInfo>;
  pupils: Record<string, PupilRow>;
  /**
   * Unit rows by pupil id, then unit id: a small record per pupil keyed by the snapshot's own id
   * strings. One record keyed `unit:<pupil>:<unit>` made every snapshot build and internalise a
   * new 80-character key per row (1,440 on a 120 × 12 group page), which V8 keeps in its old
   * generation: ~120 KB of each group page request's ~900 KB that outlived a young collection.
   */
  unitRows: Record<string, Record<string, UnitRow>>;
  criterionRows: Record<string, CriterionRow>;
  /** Overview: group id → its per-level aggregates, replaced per group by a snapshot or a refresh. */
  groupStats: Record<string, GroupLevelStats[]>;
  /** Versions of rows deleted live, so an older upsert replayed later cannot resurrect them. */
  tombstones: Record<string, number>;
  /** Keys changed live (not by a snapshot) → the version that changed them (the flash). */
  changed: Record<string, number>;
  /** Keys received since the last snapshotRequested; kept over the snapshot when newer. */
  receivedSinceRequest: Record<string, true>;
  awaitingSnapshot: boolean;
  filters: ReportFilters;
};

export type ReportActions = {
  snapshotRequested: () => void;
  snapshotLoaded: (snapshot: ReportSnapshot) => void;
  snapshotFailed: () => void;
  connectionLost: () => void;
  connectionClosed: () => void;
  remoteUnitRowReceived: (row: UnitRow) => void;
  remoteUnitRowDeleted: (row: Pick<UnitRow, 'pupilId' | 'unitId' | 'sourceVersion'>) => void;
  remotePupilSummaryReceived: (row: PupilSummaryRow) => void;
  remotePupilSummaryDeleted: (row: Pick<PupilSummaryRow, 'pupilId' | 'sourceVersion'>) => void;
  remoteCriterionReceived: (row: CriterionRow) => void;
  remoteCriterionDeleted: (row: Pick<CriterionRow, 'pupilId' | 'successCriterionId' | 'version'>) => void;
  remoteFeedbackReceived: (event: { pupilId: string; version: number; rated: boolean }) => void;
  /** Fresh aggregates of these groups (a group absent from `stats` has no rows now). */
  groupStatsLoaded: (groupIds: string[], stats: GroupLevelStats[]) => void;
  unitFilterChanged: (unitIds: string[] | null) => void;
  dateRangeChanged: (range: { from: string | null; to: string | null }) => void;
};

export type ReportStore = ReportState & ReportActions;

/** The key of a unit row in tombstones, changed and receivedSinceRequest (few entries: live changes only). */
export const unitRowKey = (pupilId: string, unitId: string) => `unit:${pupilId}:${unitId}`;
const UNIT_ROW_KEY = /^unit:([^:]+):([^:]+)$/;

function unitRowIds(key: string): { pupilId: string; unitId: string } | null {
  const match = UNIT_ROW_KEY.exec(key);
  return match ? { pupilId: match[1]!, unitId: match[2]! } : null;
}

export function selectUnitRow(state: Pick<ReportState, 'unitRows'>, pupilId: string, unitId: string): UnitRow | undefined {
  return state.unitRows[pupilId]?.[unitId];
}
export const pupilKey = (pupilId: string) => `pupil:${pupilId}`;
export const criterionRowKey = (pupilId: string, criterionId: string) => `criterion:${pupilId}:${criterionId}`;

function byId<T>(items: T[], id: (item: T) => string): Record<string, T> {
  const out: Record<string, T> = {};
  for (const item of items) out[id(item)] = item;
  return out;
}

export function initialReportState(scope: ReportScope, snapshot?: ReportSnapshot): ReportState {
  const state: ReportState = {
    scope,
    connection: 'connecting',
    bands: [],
    groups: {},
    units: {},
    assignments: {},
    criteria: {},
    pupils: {},
    unitRows: {},
    criterionRows: {},
    groupStats: {},
    tombstones: {},
    changed: {},
    receivedSinceRequest: {},
    awaitingSnapshot: false,
    filters: { unitIds: null, from: null, to: null },
  };
  if (snapshot) applySnapshot(state, snapshot);
  return state;
}

/** Replaces the rows with the snapshot's, keeping any row received live since the request if newer. */
function applySnapshot(state: ReportState, snapshot: ReportSnapshot): void {
  const kept = state.receivedSinceRequest;
  state.bands = snapshot.bands;
  state.groups = byId(snapshot.groups, (g) => g.id);
  state.units = byId(snapshot.units, (u) => u.id);
  state.assignments = byId(snapshot.assignments, (a) => a.id);
  state.criteria = byId(snapshot.criteria, (c) => c.id);
  state.groupStats = groupStatsByGroup(snapshot.groupStats);

  const unitRows: ReportState['unitRows'] = {};
  for (const row of snapshot.unitRows) (unitRows[row.pupilId] ??= {})[row.unitId] = row;
  for (const key of Object.keys(kept)) {
    const ids = unitRowIds(key);
    if (!ids) continue;
    const live = selectUnitRow(state, ids.pupilId, ids.unitId);
    const fromSnapshot = selectUnitRow({ unitRows }, ids.pupilId, ids.unitId);
    if (live && (!fromSnapshot || live.sourceVersion > fromSnapshot.sourceVersion)) (unitRows[ids.pupilId] ??= {})[ids.unitId] = live;
    const tomb = state.tombstones[key];
    if (!live && tomb !== undefined && fromSnapshot && fromSnapshot.sourceVersion <= tomb) delete unitRows[ids.pupilId]?.[ids.unitId];
  }
  state.unitRows = unitRows;

  const criterionRows = byId(snapshot.criterionRows, (r) => criterionRowKey(r.pupilId, r.successCriterionId));
  for (const key of Object.keys(kept)) {
    if (!key.startsWith('criterion:')) continue;
    const live = state.criterionRows[key];
    const fromSnapshot = criterionRows[key];
    if (live && (!fromSnapshot || live.version > fromSnapshot.version)) criterionRows[key] = live;
    const tomb = state.tombstones[key];
    if (!live && tomb !== undefined && fromSnapshot && fromSnapshot.version <= tomb) delete criterionRows[key];
  }
  state.criterionRows = criterionRows;

  const pupils = byId(snapshot.pupils, (p) => p.pupilId);
  for (const [id, pupil] of Object.entries(pupils)) {
    const live = state.pupils[id];
    if (!live || !kept[pupilKey(id)]) continue;
    // Versions only move forward: keep whatever the live events already showed.
    if ((live.cachedVersion ?? -1) > (pupil.cachedVersion ?? -1)) {
      pupil.cachedVersion = live.cachedVersion;
      pupil.overallAverage = live.overallAverage;
      pupil.workingLevel = live.workingLevel;
    }
    if ((live.feedbackVersion ?? -1) > (pupil.feedbackVersion ?? -1)) pupil.feedbackVersion = live.feedbackVersion;
  }
  state.pupils = pupils;
  state.receivedSinceRequest = {};
  state.awaitingSnapshot = false;
}

function groupStatsByGroup(stats: GroupLevelStats[]): Record<string, GroupLevelStats[]> {
  const out: Record<string, GroupLevelStats[]> = {};
  for (const row of stats) (out[row.groupId] ??= []).push(row);
  return out;
}

function markReceived(state: ReportState, key: string): void {
  if (state.awaitingSnapshot) state.receivedSinceRequest[key] = true;
}

function sameUnitValues(a: UnitRow, b: UnitRow): boolean {
  return a.averageRating === b.averageRating && a.workingLevel === b.workingLevel && a.criteriaRated === b.criteriaRated;
}

export function createReportStore(scope: ReportScope, snapshot?: ReportSnapshot): StoreApi<ReportStore> {
  return createStore<ReportStore>()(
    immer((set) => ({
      ...initialReportState(scope, snapshot),

      snapshotRequested: () =>
        set((state) => {
          state.awaitingSnapshot = true;
          state.receivedSinceRequest = {};
        }),
      snapshotLoaded: (next) =>
        set((state) => {
          applySnapshot(state, next);
          state.connection = 'live';
        }),
      snapshotFailed: () =>
        set((state) => {
          state.awaitingSnapshot = false;
          state.connection = 'reconnecting';
        }),
      connectionLost: () =>
        set((state) => {
          state.connection = 'reconnecting';
        }),
      connectionClosed: () =>
        set((state) => {
          state.connection = 'offline';
        }),

      remoteUnitRowReceived: (row) =>
        set((state) => {
          const key = unitRowKey(row.pupilId, row.unitId);
          const current = selectUnitRow(state, row.pupilId, row.unitId);
          const tomb = state.tombstones[key];
          if (current && current.sourceVersion > row.sourceVersion) return;
          if (!current && tomb !== undefined && tomb >= row.sourceVersion) return;
          markReceived(state, key);
          if (!current || !sameUnitValues(current, row)) state.changed[key] = row.sourceVersion;
          (state.unitRows[row.pupilId] ??= {})[row.unitId] = row;
          delete state.tombstones[key];
        }),
      remoteUnitRowDeleted: (row) =>
        set((state) => {
          const key = unitRowKey(row.pupilId, row.unitId);
          const current = selectUnitRow(state, row.pupilId, row.unitId);
          if (current && current.sourceVersion > row.sourceVersion) return;
          markReceived(state, key);
          delete state.unitRows[row.pupilId]?.[row.unitId];
          state.tombstones[key] = Math.max(state.tombstones[key] ?? -1, row.sourceVersion);
          state.changed[key] = row.sourceVersion;
        }),
      remotePupilSummaryReceived: (row) =>
        set((state) => {
          const pupil = state.pupils[row.pupilId];
          if (!pupil) return;
          if ((pupil.cachedVersion ?? -1) > row.sourceVersion) return;
          markReceived(state, pupilKey(row.pupilId));
          if (pupil.overallAverage !== row.overallAverage || pupil.workingLevel !== row.workingLevel) {
            state.changed[pupilKey(row.pupilId)] = row.sourceVersion;
          }
          pupil.overallAverage = row.overallAverage;
          pupil.workingLevel = row.workingLevel;
          pupil.cachedVersion = row.sourceVersion;
        }),
      remotePupilSummaryDeleted: (row) =>
        set((state) => {
          const pupil = state.pupils[row.pupilId];
          if (!pupil) return;
          if ((pupil.cachedVersion ?? -1) > row.sourceVersion) return;
          markReceived(state, pupilKey(row.pupilId));
          // No rated feedback left: the cache now reflects every version seen so far.
          pupil.overallAverage = null;
          pupil.workingLevel = null;
          pupil.cachedVersion = Math.max(row.sourceVersion, pupil.feedbackVersion ?? -1);
          state.changed[pupilKey(row.pupilId)] = row.sourceVersion;
        }),
      remoteCriterionReceived: (row) =>
        set((state) => {
          const key = criterionRowKey(row.pupilId, row.successCriterionId);
          const current = state.criterionRows[key];
          const tomb = state.tombstones[key];
          if (current && current.version > row.version) return;
          if (!current && tomb !== undefined && tomb >= row.version) return;
          markReceived(state, key);
          if (!current || current.rating !== row.rating) state.changed[key] = row.version;
          state.criterionRows[key] = row;
          delete state.tombstones[key];
        }),
      remoteCriterionDeleted: (row) =>
        set((state) => {
          const key = criterionRowKey(row.pupilId, row.successCriterionId);
          const current = state.criterionRows[key];
          if (current && current.version > row.version) return;
          markReceived(state, key);
          delete state.criterionRows[key];
          state.tombstones[key] = Math.max(state.tombstones[key] ?? -1, row.version);
          state.changed[key] = row.version;
        }),
      remoteFeedbackReceived: ({ pupilId, version, rated }) =>
        set((state) => {
          const pupil = state.pupils[pupilId];
          if (!pupil) return;
          // A cleared cell of a pupil with nothing cached produces no cache row to wait for.
          if (!rated && pupil.cachedVersion === null) return;
          if ((pupil.feedbackVersion ?? -1) >= version) return;
          markReceived(state, pupilKey(pupilId));
          pupil.feedbackVersion = version;
        }),

      groupStatsLoaded: (groupIds, stats) =>
        set((state) => {
          const fresh = groupStatsByGroup(stats);
          for (const groupId of groupIds) {
            if (fresh[groupId]) state.groupStats[groupId] = fresh[groupId];
            else delete state.groupStats[groupId];
          }
        }),

      unitFilterChanged: (unitIds) =>
        set((state) => {
          state.filters.unitIds = unitIds && unitIds.length > 0 ? unitIds : null;
        }),
      dateRangeChanged: ({ from, to }) =>
        set((state) => {
          state.filters.from = from || null;
          state.filters.to = to || null;
        }),
    })),
  );
}
