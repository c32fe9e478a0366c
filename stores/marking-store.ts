/**
 * The marking grid's store (one per open assignment page): the authoritative cells by key
 * with their versions, local edits laid on top until the database answers, per-cell
 * status, the pupils' live unit summaries, connection state and presence.
 *
 * Rules (DESIGN.md §1; unit-tested in marking-store.test.ts):
 * - a row never replaces one with a higher (or equal) version;
 * - a pending local edit stays on top of the authoritative row until its acknowledgement
 *   or its realtime echo (matched by client_mutation_id) arrives, whichever comes first;
 * - duplicates and out-of-order events are harmless (versions decide);
 * - a failed edit shows the authoritative value again, keeps its reason and can be retried
 *   (same client_mutation_id: the database writes it at most once) or dismissed;
 * - while a snapshot loads (first load or after a reconnect) events are buffered and then
 *   applied by version on top of it.
 * Only the realtime adapter (lib/marking/realtime.ts) and the command callbacks
 * (lib/marking/marking-commands.ts) dispatch the remote, acknowledged and failed events.
 */
import { createStore } from 'zustand/vanilla';
import { immer } from 'zustand/middleware/immer';
import type { FeedbackCell, GridSnapshot, PresencePayload, UnitSummary } from '@/lib/marking/schemas';

export type CellKey = string;
export const cellKey = (pupilId: string, criterionId: string): CellKey => `${pupilId}:${criterionId}`;

export type CellStatus = 'synced' | 'pending' | 'failed';
export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';
export type EditError = { code: string; message: string };

export type PendingEdit = {
  clientMutationId: string;
  key: CellKey;
  pupilId: string;
  successCriterionId: string;
  rating: number | null;
  status: 'pending' | 'failed';
  error: EditError | null;
  attempts: number;
};

export type Marker = { userId: string; name: string; initials: string; pupilId: string | null };

type BufferedEvent =
  | { kind: 'row'; row: FeedbackCell }
  | { kind: 'summary'; summary: UnitSummary }
  | { kind: 'summaryRemoved'; pupilId: string };

export type MarkingState = {
  loading: boolean;
  assignment: GridSnapshot['assignment'];
  criterionIds: string[];
  criteria: Record<string, GridSnapshot['criteria'][number]>;
  pupilIds: string[];
  pupils: Record<string, GridSnapshot['pupils'][number]>;
  viewer: GridSnapshot['viewer'];
  canMark: boolean;
  /** Authoritative rows by cell key. */
  rows: Record<CellKey, FeedbackCell>;
  /** Local edits not yet confirmed, by client_mutation_id. */
  pending: Record<string, PendingEdit>;
  /** The newest local edit of each cell (older ones may still await their answer). */
  latestEditByCell: Record<CellKey, string>;
  summaries: Record<string, UnitSummary>;
  buffered: BufferedEvent[];
  connection: ConnectionStatus;
  /** Other markers on this assignment, by user id (never the viewer). */
  markers: Record<string, Marker>;
  focus: { row: number; col: number };
  undo: { status: 'idle' | 'working' | 'failed'; message: string | null };
};

export type MarkingActions = {
  snapshotRequested(): void;
  snapshotLoaded(snapshot: GridSnapshot): void;
  cellRated(edit: { clientMutationId: string; pupilId: string; successCriterionId: string; rating: number | null }): void;
  editAcknowledged(clientMutationId: string, row: FeedbackCell): void;
  editFailed(clientMutationId: string, error: EditError): void;
  editRetried(clientMutationId: string): void;
  editDismissed(clientMutationId: string): void;
  remoteRowReceived(row: FeedbackCell): void;
  remoteSummaryReceived(summary: UnitSummary): void;
  remoteSummaryRemoved(pupilId: string): void;
  connectionChanged(status: ConnectionStatus): void;
  presenceSynced(markers: PresencePayload[]): void;
  cellFocused(row: number, col: number): void;
  undoRequested(): void;
  undoCompleted(rows: FeedbackCell[]): void;
  undoFailed(error: EditError): void;
};

export type MarkingStore = MarkingState & MarkingActions;

export function initialsOf(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0]![0], parts[parts.length - 1]![0]] : [parts[0]?.[0] ?? '?'];
  return letters.join('').toUpperCase();
}

/** Applies a row if it is newer than what the store holds; answers whether it did. */
function applyRow(state: MarkingState, row: FeedbackCell): boolean {
  const key = cellKey(row.pupilId, row.successCriterionId);
  const current = state.rows[key];
  if (current && current.version >= row.version) return false;
  state.rows[key] = row;
  return true;
}

/** The edit is answered: forget it (the authoritative row now decides the cell). */
function settleEdit(state: MarkingState, clientMutationId: string): void {
  const edit = state.pending[clientMutationId];
  if (!edit) return;
  delete state.pending[clientMutationId];
  if (state.latestEditByCell[edit.key] === clientMutationId) delete state.latestEditByCell[edit.key];
}

function receiveRow(state: MarkingState, row: FeedbackCell): void {
  applyRow(state, row);
  // The echo of one of our edits answers it as surely as the action's response does.
  if (row.clientMutationId && state.pending[row.clientMutationId]) settleEdit(state, row.clientMutationId);
}

function applySummary(state: MarkingState, summary: UnitSummary): void {
  const current = state.summaries[summary.pupilId];
  if (current && (current.sourceVersion > summary.sourceVersion ||
      (current.sourceVersion === summary.sourceVersion && current.computedAt >= summary.computedAt))) return;
  state.summaries[summary.pupilId] = summary;
}

function structureFrom(snapshot: GridSnapshot) {
  return {
    assignment: snapshot.assignment,
    criterionIds: snapshot.criteria.map((c) => c.id),
    criteria: Object.fromEntries(snapshot.criteria.map((c) => [c.id, c])),
    pupilIds: snapshot.pupils.map((p) => p.id),
    pupils: Object.fromEntries(snapshot.pupils.map((p) => [p.id, p])),
    viewer: snapshot.viewer,
    canMark: snapshot.canMark,
  };
}

export function createMarkingStore(snapshot: GridSnapshot) {
  const rows: Record<CellKey, FeedbackCell> = {};
  for (const row of snapshot.feedback) {
    const key = cellKey(row.pupilId, row.successCriterionId);
    const current = rows[key];
    if (!current || current.version < row.version) rows[key] = row;
  }
  const summaries: Record<string, UnitSummary> = {};
  for (const summary of snapshot.unitSummaries) summaries[summary.pupilId] = summary;

  return createStore<MarkingStore>()(
    immer((set) => ({
      loading: false,
      ...structureFrom(snapshot),
      rows,
      pending: {},
      latestEditByCell: {},
      summaries,
      buffered: [],
      connection: 'connecting',
      markers: {},
      focus: { row: 0, col: 0 },
      undo: { status: 'idle', message: null },

      snapshotRequested: () =>
        set((state) => {
          state.loading = true;
        }),

      snapshotLoaded: (next) =>
        set((state) => {
          Object.assign(state, structureFrom(next));
          for (const row of next.feedback) receiveRow(state, row);
          for (const summary of next.unitSummaries) applySummary(state, summary);
          for (const event of state.buffered) {
            if (event.kind === 'row') receiveRow(state, event.row);
            else if (event.kind === 'summary') applySummary(state, event.summary);
            else delete state.summaries[event.pupilId];
          }
          state.buffered = [];
          state.loading = false;
          state.focus.row = Math.min(state.focus.row, Math.max(0, state.pupilIds.length - 1));
          state.focus.col = Math.min(state.focus.col, Math.max(0, state.criterionIds.length - 1));
        }),

      cellRated: ({ clientMutationId, pupilId, successCriterionId, rating }) =>
        set((state) => {
          const key = cellKey(pupilId, successCriterionId);
          state.pending[clientMutationId] = {
            clientMutationId, key, pupilId, successCriterionId, rating, status: 'pending', error: null, attempts: 1,
          };
          // A newer edit of the cell replaces an older failed one (nothing left to retry).
          const previous = state.latestEditByCell[key];
          if (previous && state.pending[previous]?.status === 'failed') delete state.pending[previous];
          state.latestEditByCell[key] = clientMutationId;
        }),

      editAcknowledged: (clientMutationId, row) =>
        set((state) => {
          applyRow(state, row);
          settleEdit(state, clientMutationId);
        }),

      editFailed: (clientMutationId, error) =>
        set((state) => {
          const edit = state.pending[clientMutationId];
          if (!edit) return; // already answered (its echo arrived): nothing failed
          edit.status = 'failed';
          edit.error = error;
        }),

      editRetried: (clientMutationId) =>
        set((state) => {
          const edit = state.pending[clientMutationId];
          if (!edit) return;
          edit.status = 'pending';
          edit.error = null;
          edit.attempts += 1;
        }),

      editDismissed: (clientMutationId) =>
        set((state) => {
          settleEdit(state, clientMutationId);
        }),

      remoteRowReceived: (row) =>
        set((state) => {
          if (state.loading) state.buffered.push({ kind: 'row', row });
          else receiveRow(state, row);
        }),

      remoteSummaryReceived: (summary) =>
        set((state) => {
          if (state.loading) state.buffered.push({ kind: 'summary', summary });
          else applySummary(state, summary);
        }),

      remoteSummaryRemoved: (pupilId) =>
        set((state) => {
          if (state.loading) state.buffered.push({ kind: 'summaryRemoved', pupilId });
          else delete state.summaries[pupilId];
        }),

      connectionChanged: (status) =>
        set((state) => {
          state.connection = status;
        }),

      presenceSynced: (markers) =>
        set((state) => {
          const next: Record<string, Marker> = {};
          for (const marker of markers) {
            if (marker.userId === state.viewer?.id) continue;
            next[marker.userId] = { ...marker, initials: initialsOf(marker.name) };
          }
          state.markers = next;
        }),

      cellFocused: (row, col) =>
        set((state) => {
          state.focus.row = Math.max(0, Math.min(row, state.pupilIds.length - 1));
          state.focus.col = Math.max(0, Math.min(col, state.criterionIds.length - 1));
        }),

      undoRequested: () =>
        set((state) => {
          state.undo = { status: 'working', message: null };
        }),

      undoCompleted: (undoneRows) =>
        set((state) => {
          for (const row of undoneRows) receiveRow(state, row);
          state.undo = { status: 'idle', message: null };
        }),

      undoFailed: (error) =>
        set((state) => {
          state.undo = { status: 'failed', message: error.message };
        }),
    })),
  );
}

export type MarkingStoreApi = ReturnType<typeof createMarkingStore>;

// ---------------------------------------------------------------------------------------
// Selectors (pure; components select atomically or with useShallow)

/** The edit that decides what the cell shows: the newest local one, if any. */
function shownEdit(state: MarkingState, pupilId: string, criterionId: string): PendingEdit | undefined {
  const id = state.latestEditByCell[cellKey(pupilId, criterionId)];
  return id ? state.pending[id] : undefined;
}

/** The rating the cell shows: a pending local edit on top, else the authoritative row (a failed edit rolls back). */
export const selectCellRating = (pupilId: string, criterionId: string) => (state: MarkingState): number | null => {
  const edit = shownEdit(state, pupilId, criterionId);
  if (edit && edit.status === 'pending') return edit.rating;
  return state.rows[cellKey(pupilId, criterionId)]?.rating ?? null;
};

export const selectCellStatus = (pupilId: string, criterionId: string) => (state: MarkingState): CellStatus =>
  shownEdit(state, pupilId, criterionId)?.status ?? 'synced';

export const selectCellComment = (pupilId: string, criterionId: string) => (state: MarkingState): string | null =>
  state.rows[cellKey(pupilId, criterionId)]?.comment ?? null;

/** Why the cell's newest edit failed, or null. */
export const selectCellError = (pupilId: string, criterionId: string) => (state: MarkingState): EditError | null => {
  const edit = shownEdit(state, pupilId, criterionId);
  return edit?.status === 'failed' ? edit.error : null;
};

export type CellView = { rating: number | null; status: CellStatus; errorMessage: string | null; focused: boolean };

/** Everything one rendered cell shows, in one selector (one subscription per cell; compare with useShallow). */
export const selectCellView = (pupilId: string, criterionId: string, row: number, col: number) => (state: MarkingState): CellView => ({
  rating: selectCellRating(pupilId, criterionId)(state),
  status: selectCellStatus(pupilId, criterionId)(state),
  errorMessage: selectCellError(pupilId, criterionId)(state)?.message ?? null,
  focused: state.focus.row === row && state.focus.col === col,
});

export type CellDisplay = { rating: number | null; status: CellStatus; errorMessage: string | null };
const displays = new Map<string, CellDisplay>();
/** One shared object per distinct (rating, status, message), so arrays of them compare shallowly. */
function internDisplay(rating: number | null, status: CellStatus, errorMessage: string | null): CellDisplay {
  const key = `${rating}|${status}|${errorMessage ?? ''}`;
  let display = displays.get(key);
  if (!display) displays.set(key, (display = { rating, status, errorMessage }));
  return display;
}

/** What each cell of a pupil's row shows, in criterion order (compare with useShallow: one subscription per row). */
export const selectRowCells = (pupilId: string) => (state: MarkingState): CellDisplay[] =>
  state.criterionIds.map((criterionId) =>
    internDisplay(
      selectCellRating(pupilId, criterionId)(state),
      selectCellStatus(pupilId, criterionId)(state),
      selectCellError(pupilId, criterionId)(state)?.message ?? null,
    ),
  );

/** The focused column if the focus is on this row, else -1. */
export const selectFocusedColumnInRow = (row: number) => (state: MarkingState): number =>
  state.focus.row === row ? state.focus.col : -1;

export const selectCellMutationId = (pupilId: string, criterionId: string) => (state: MarkingState): string | null =>
  state.latestEditByCell[cellKey(pupilId, criterionId)] ?? null;

export const selectPendingCount = (state: MarkingState): number =>
  Object.values(state.pending).filter((edit) => edit.status === 'pending').length;

export const selectFailedEdits = (state: MarkingState): PendingEdit[] =>
  Object.values(state.pending).filter((edit) => edit.status === 'failed');

export const selectFailedEditIds = (state: MarkingState): string[] => selectFailedEdits(state).map((e) => e.clientMutationId);

export const selectPupilSummary = (pupilId: string) => (state: MarkingState): UnitSummary | null =>
  state.summaries[pupilId] ?? null;

/**
 * Whether the pupil's live unit average is still being recalculated: a cell of theirs here
 * has a newer version than the cached summary folded in (source_version), and there is
 * something to summarise (a summary already, or a rated cell here).
 */
export const selectSummaryUpdating = (pupilId: string) => (state: MarkingState): boolean => {
  let newest = -1;
  let rated = false;
  for (const criterionId of state.criterionIds) {
    const row = state.rows[cellKey(pupilId, criterionId)];
    if (!row) continue;
    newest = Math.max(newest, row.version);
    rated ||= row.rating !== null;
  }
  const summary = state.summaries[pupilId];
  if (!summary && !rated) return false;
  return newest > (summary?.sourceVersion ?? -1);
};

/** Initials of the other markers whose cursor is on this pupil's row. */
export const selectRowMarkers = (pupilId: string) => (state: MarkingState): string[] =>
  Object.values(state.markers)
    .filter((marker) => marker.pupilId === pupilId)
    .map((marker) => marker.initials)
    .sort();

export const selectMarkers = (state: MarkingState): Marker[] =>
  Object.values(state.markers).sort((a, b) => a.name.localeCompare(b.name));

export const selectFocusedPupilId = (state: MarkingState): string | null => state.pupilIds[state.focus.row] ?? null;

export const selectIsFocused = (row: number, col: number) => (state: MarkingState): boolean =>
  state.focus.row === row && state.focus.col === col;

/** The cells of one criterion column or one pupil row, for a bulk fill. */
export function selectFillCells(
  state: MarkingState,
  target: { kind: 'column'; criterionId: string } | { kind: 'row'; pupilId: string },
): Array<{ pupilId: string; successCriterionId: string }> {
  return target.kind === 'column'
    ? state.pupilIds.map((pupilId) => ({ pupilId, successCriterionId: target.criterionId }))
    : state.criterionIds.map((successCriterionId) => ({ pupilId: target.pupilId, successCriterionId }));
}

/** A pending edit still waiting for its answer (retry after a reconnect). */
export const selectRetryableEdits = (state: MarkingState): PendingEdit[] =>
  Object.values(state.pending).filter((edit) => edit.status === 'failed' && edit.error?.code === 'unavailable');
