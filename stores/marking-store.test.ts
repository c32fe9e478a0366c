/** The marking store's rules, each on a fresh store; pure (no I/O, no mocks). */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../tests/fixtures/school/seeded-random';
import type { FeedbackCell, GridSnapshot, UnitSummary } from '@/lib/marking/schemas';
import {
  createMarkingStore,
  selectCellError,
  selectCellRating,
  selectCellStatus,
  selectCellView,
  selectFailedEdits,
  selectFillCells,
  selectMarkers,
  selectPendingCount,
  selectPupilSummary,
  selectRetryableEdits,
  selectRowCells,
  selectRowMarkers,
  selectSummaryUpdating,
} from './marking-store';

const ME = '00000000-0000-4000-8000-0000000000a1';
const OTHER = '00000000-0000-4000-8000-0000000000b2';
const P1 = '00000000-0000-4000-8000-000000000001';
const P2 = '00000000-0000-4000-8000-000000000002';
const C1 = '00000000-0000-4000-8000-0000000000c1';
const C2 = '00000000-0000-4000-8000-0000000000c2';
const M1 = '00000000-0000-4000-8000-0000000000e1';
const M2 = '00000000-0000-4000-8000-0000000000e2';

function row(overrides: Partial<FeedbackCell> & { version: number }): FeedbackCell {
  return {
    id: `00000000-0000-4000-8000-${String(overrides.version).padStart(12, '0')}`,
    pupilId: P1,
    successCriterionId: C1,
    rating: 1,
    comment: null,
    updatedBy: OTHER,
    updatedAt: '2026-11-22T09:00:00Z',
    clientMutationId: null,
    ...overrides,
  };
}

function summary(pupilId: string, sourceVersion: number, averageRating: number): UnitSummary {
  return { pupilId, averageRating, workingLevel: 'secure', criteriaRated: 2, sourceVersion, computedAt: `2026-11-22T09:00:0${sourceVersion % 10}Z` };
}

function snapshot(feedback: FeedbackCell[] = [], unitSummaries: UnitSummary[] = []): GridSnapshot {
  return {
    assignment: {
      id: '00000000-0000-4000-8000-00000000aaaa', title: 'Cells', setOn: '2026-09-07', dueOn: null,
      groupId: '00000000-0000-4000-8000-00000000bbbb', groupName: '10Sc1',
      unitId: '00000000-0000-4000-8000-00000000cccc', unitName: 'Cells and organisation',
    },
    criteria: [
      { id: C1, position: 1, description: 'Recalls' },
      { id: C2, position: 2, description: 'Explains' },
    ],
    pupils: [
      { id: P1, firstName: 'Amira', lastName: 'Ali' },
      { id: P2, firstName: 'Ben', lastName: 'Baker' },
    ],
    feedback,
    unitSummaries,
    viewer: { id: ME, displayName: 'Alex Adams' },
    canMark: true,
  };
}

const rating = (store: ReturnType<typeof createMarkingStore>, p = P1, c = C1) => selectCellRating(p, c)(store.getState());
const status = (store: ReturnType<typeof createMarkingStore>, p = P1, c = C1) => selectCellStatus(p, c)(store.getState());
const rate = (store: ReturnType<typeof createMarkingStore>, id: string, value: number | null, p = P1, c = C1) =>
  store.getState().cellRated({ clientMutationId: id, pupilId: p, successCriterionId: c, rating: value });

describe('versions', () => {
  it('a row never replaces one with a higher version; duplicates are harmless', () => {
    const store = createMarkingStore(snapshot([row({ version: 5, rating: 2 })]));
    store.getState().remoteRowReceived(row({ version: 3, rating: 0 }));
    expect(rating(store)).toBe(2);
    store.getState().remoteRowReceived(row({ version: 7, rating: 3 }));
    store.getState().remoteRowReceived(row({ version: 7, rating: 3 }));
    store.getState().remoteRowReceived(row({ version: 6, rating: 1 }));
    expect(rating(store)).toBe(3);
    expect(store.getState().rows[`${P1}:${C1}`]!.version).toBe(7);
  });

  it('out-of-order events converge to the highest version whatever the order', () => {
    const events = [4, 9, 2, 7, 9, 1].map((version) => row({ version, rating: version % 4 }));
    const forward = createMarkingStore(snapshot());
    const backward = createMarkingStore(snapshot());
    for (const event of events) forward.getState().remoteRowReceived(event);
    for (const event of [...events].reverse()) backward.getState().remoteRowReceived(event);
    expect(rating(forward)).toBe(9 % 4);
    expect(rating(backward)).toBe(9 % 4);
  });

  it('a cleared cell (null rating) with a higher version clears it', () => {
    const store = createMarkingStore(snapshot([row({ version: 5, rating: 2 })]));
    store.getState().remoteRowReceived(row({ version: 6, rating: null }));
    expect(rating(store)).toBeNull();
  });
});

describe('optimistic edits', () => {
  it('a local edit shows at once as pending and stays on top of newer remote rows until answered', () => {
    const store = createMarkingStore(snapshot([row({ version: 5, rating: 1 })]));
    rate(store, M1, 3);
    expect(rating(store)).toBe(3);
    expect(status(store)).toBe('pending');
    expect(selectPendingCount(store.getState())).toBe(1);

    store.getState().remoteRowReceived(row({ version: 6, rating: 0 })); // a colleague's write
    expect(rating(store)).toBe(3);
    expect(status(store)).toBe('pending');

    store.getState().editAcknowledged(M1, row({ version: 8, rating: 3, updatedBy: ME, clientMutationId: M1 }));
    expect(rating(store)).toBe(3);
    expect(status(store)).toBe('synced');
    expect(selectPendingCount(store.getState())).toBe(0);
  });

  it('the acknowledgement settles the edit even when a later write already won (converges to the database)', () => {
    const store = createMarkingStore(snapshot([row({ version: 5, rating: 1 })]));
    rate(store, M1, 3);
    store.getState().remoteRowReceived(row({ version: 9, rating: 0 })); // committed after ours
    store.getState().editAcknowledged(M1, row({ version: 8, rating: 3, clientMutationId: M1 }));
    expect(rating(store)).toBe(0);
    expect(status(store)).toBe('synced');
  });

  it('race: the realtime echo arrives before the action response — settled by the echo, response harmless', () => {
    const store = createMarkingStore(snapshot([row({ version: 5, rating: 1 })]));
    rate(store, M1, 2);
    store.getState().remoteRowReceived(row({ version: 8, rating: 2, clientMutationId: M1 }));
    expect(status(store)).toBe('synced');
    expect(rating(store)).toBe(2);
    store.getState().remoteRowReceived(row({ version: 9, rating: 0 })); // then a colleague
    store.getState().editAcknowledged(M1, row({ version: 8, rating: 2, clientMutationId: M1 })); // late response
    expect(rating(store)).toBe(0);
    expect(status(store)).toBe('synced');
    store.getState().editFailed(M1, { code: 'unavailable', message: 'late' }); // a late failure is harmless too
    expect(selectFailedEdits(store.getState())).toEqual([]);
  });

  it('two quick edits of one cell: the first answer does not uncover the second edit', () => {
    const store = createMarkingStore(snapshot());
    rate(store, M1, 1);
    rate(store, M2, 3);
    store.getState().editAcknowledged(M1, row({ version: 10, rating: 1, clientMutationId: M1 }));
    expect(rating(store)).toBe(3);
    expect(status(store)).toBe('pending');
    store.getState().editAcknowledged(M2, row({ version: 11, rating: 3, clientMutationId: M2 }));
    expect(rating(store)).toBe(3);
    expect(status(store)).toBe('synced');
  });

  it('an echo of a colleague with our mutation id missing does not settle our edit', () => {
    const store = createMarkingStore(snapshot());
    rate(store, M1, 2);
    store.getState().remoteRowReceived(row({ version: 3, rating: 1, clientMutationId: M2 }));
    expect(status(store)).toBe('pending');
    expect(rating(store)).toBe(2);
  });
});

describe('failed edits', () => {
  it('roll back to the authoritative value, show why, and can be retried with the same mutation id', () => {
    const store = createMarkingStore(snapshot([row({ version: 5, rating: 1 })]));
    rate(store, M1, 3);
    store.getState().editFailed(M1, { code: 'unavailable', message: 'Not saved: offline' });
    expect(rating(store)).toBe(1);
    expect(status(store)).toBe('failed');
    expect(selectCellError(P1, C1)(store.getState())).toEqual({ code: 'unavailable', message: 'Not saved: offline' });
    expect(selectRetryableEdits(store.getState()).map((e) => e.clientMutationId)).toEqual([M1]);
    const cellsOfRow = selectRowCells(P1)(store.getState());
    expect(cellsOfRow.map((cell) => cell.status)).toEqual(['failed', 'synced']);
    expect(selectRowCells(P1)(store.getState())[1]).toBe(cellsOfRow[1]); // same display object: shallow-equal rows
    expect(selectCellView(P1, C1, 0, 0)(store.getState())).toEqual({ rating: 1, status: 'failed', errorMessage: 'Not saved: offline', focused: true });

    store.getState().editRetried(M1);
    expect(rating(store)).toBe(3);
    expect(status(store)).toBe('pending');
    expect(store.getState().pending[M1]!.attempts).toBe(2);
    store.getState().editAcknowledged(M1, row({ version: 6, rating: 3, clientMutationId: M1 }));
    expect(status(store)).toBe('synced');
    expect(rating(store)).toBe(3);
  });

  it('a dismissed failure leaves the authoritative value; a new edit replaces an old failure', () => {
    const store = createMarkingStore(snapshot([row({ version: 5, rating: 1 })]));
    rate(store, M1, 3);
    store.getState().editFailed(M1, { code: 'not_authorized', message: 'No' });
    store.getState().editDismissed(M1);
    expect(status(store)).toBe('synced');
    expect(rating(store)).toBe(1);

    rate(store, M1, 3);
    store.getState().editFailed(M1, { code: 'unavailable', message: 'offline' });
    rate(store, M2, 0);
    expect(store.getState().pending[M1]).toBeUndefined();
    expect(rating(store)).toBe(0);
    expect(status(store)).toBe('pending');
  });

  it('a failed edit whose echo arrives anyway (it did commit) is settled by the echo', () => {
    const store = createMarkingStore(snapshot());
    rate(store, M1, 2);
    store.getState().editFailed(M1, { code: 'unavailable', message: 'timeout' });
    store.getState().remoteRowReceived(row({ version: 4, rating: 2, clientMutationId: M1 }));
    expect(status(store)).toBe('synced');
    expect(rating(store)).toBe(2);
  });
});

describe('snapshots', () => {
  it('events during a snapshot load are buffered, then applied by version on top of it', () => {
    const store = createMarkingStore(snapshot([row({ version: 5, rating: 1 })]));
    store.getState().snapshotRequested();
    store.getState().remoteRowReceived(row({ version: 12, rating: 3 })); // newer than the snapshot
    store.getState().remoteRowReceived(row({ version: 8, rating: 0, pupilId: P2 })); // older than the snapshot
    store.getState().remoteSummaryReceived(summary(P1, 12, 2.5));
    expect(rating(store)).toBe(1); // nothing applied while loading

    store.getState().snapshotLoaded(
      snapshot([row({ version: 10, rating: 2 }), row({ version: 9, rating: 1, pupilId: P2 })], [summary(P1, 10, 2)]),
    );
    expect(store.getState().loading).toBe(false);
    expect(rating(store)).toBe(3);
    expect(rating(store, P2)).toBe(1);
    expect(selectPupilSummary(P1)(store.getState())?.averageRating).toBe(2.5);
    expect(store.getState().buffered).toEqual([]);
  });

  it('a refetched snapshot never rolls back newer rows and settles edits whose echo was missed', () => {
    const store = createMarkingStore(snapshot([row({ version: 5, rating: 1 })]));
    rate(store, M1, 2, P2);
    store.getState().remoteRowReceived(row({ version: 20, rating: 3 }));
    store.getState().snapshotRequested();
    store.getState().snapshotLoaded(snapshot([row({ version: 15, rating: 0 }), row({ version: 16, rating: 2, pupilId: P2, clientMutationId: M1 })]));
    expect(rating(store)).toBe(3);
    expect(status(store, P2)).toBe('synced');
    expect(rating(store, P2)).toBe(2);
  });

  it('a local edit made while the snapshot loads stays on top', () => {
    const store = createMarkingStore(snapshot());
    store.getState().snapshotRequested();
    rate(store, M1, 2);
    store.getState().snapshotLoaded(snapshot([row({ version: 4, rating: 0 })]));
    expect(rating(store)).toBe(2);
    expect(status(store)).toBe('pending');
  });
});

describe('summaries, connection, presence, focus, fill, undo', () => {
  it('unit summaries apply by source version; a removal clears the row', () => {
    const store = createMarkingStore(snapshot([], [summary(P1, 5, 1)]));
    store.getState().remoteSummaryReceived(summary(P1, 4, 3));
    expect(selectPupilSummary(P1)(store.getState())?.averageRating).toBe(1);
    store.getState().remoteSummaryReceived(summary(P1, 6, 2));
    expect(selectPupilSummary(P1)(store.getState())?.averageRating).toBe(2);
    store.getState().remoteSummaryRemoved(P1);
    expect(selectPupilSummary(P1)(store.getState())).toBeNull();
  });

  it('a summary is "updating" until it has folded in the pupil\'s newest cell here', () => {
    const store = createMarkingStore(snapshot([row({ version: 5, rating: 2 })], [summary(P1, 5, 2)]));
    expect(selectSummaryUpdating(P1)(store.getState())).toBe(false);
    store.getState().remoteRowReceived(row({ version: 8, rating: 3 }));
    expect(selectSummaryUpdating(P1)(store.getState())).toBe(true);
    store.getState().remoteSummaryReceived(summary(P1, 8, 2.5));
    expect(selectSummaryUpdating(P1)(store.getState())).toBe(false);
    // Every mark cleared: the cache row goes away and there is nothing left to wait for.
    store.getState().remoteRowReceived(row({ version: 9, rating: null }));
    expect(selectSummaryUpdating(P1)(store.getState())).toBe(true);
    store.getState().remoteSummaryRemoved(P1);
    expect(selectSummaryUpdating(P1)(store.getState())).toBe(false);
    expect(selectSummaryUpdating(P2)(store.getState())).toBe(false);
  });

  it('connection changes are recorded as they happen', () => {
    const store = createMarkingStore(snapshot());
    expect(store.getState().connection).toBe('connecting');
    for (const next of ['live', 'reconnecting', 'offline', 'live'] as const) {
      store.getState().connectionChanged(next);
      expect(store.getState().connection).toBe(next);
    }
  });

  it('presence lists the other markers and the row each is on, never the viewer', () => {
    const store = createMarkingStore(snapshot());
    store.getState().presenceSynced([
      { userId: ME, name: 'Alex Adams', pupilId: P1 },
      { userId: OTHER, name: 'Bea Brown', pupilId: P2 },
    ]);
    expect(selectMarkers(store.getState()).map((m) => m.initials)).toEqual(['BB']);
    expect(selectRowMarkers(P2)(store.getState())).toEqual(['BB']);
    expect(selectRowMarkers(P1)(store.getState())).toEqual([]);
    store.getState().presenceSynced([]);
    expect(selectRowMarkers(P2)(store.getState())).toEqual([]);
  });

  it('focus stays inside the grid', () => {
    const store = createMarkingStore(snapshot());
    store.getState().cellFocused(5, -1);
    expect(store.getState().focus).toEqual({ row: 1, col: 0 });
  });

  it('fill cells cover a whole column or row', () => {
    const state = createMarkingStore(snapshot()).getState();
    expect(selectFillCells(state, { kind: 'column', criterionId: C2 })).toEqual([
      { pupilId: P1, successCriterionId: C2 },
      { pupilId: P2, successCriterionId: C2 },
    ]);
    expect(selectFillCells(state, { kind: 'row', pupilId: P2 })).toHaveLength(2);
  });

  it('undo applies the rows the database returned, by version; a failure keeps its message', () => {
    const store = createMarkingStore(snapshot([row({ version: 5, rating: 3 })]));
    store.getState().undoRequested();
    expect(store.getState().undo.status).toBe('working');
    store.getState().undoCompleted([row({ version: 6, rating: 1 })]);
    expect(rating(store)).toBe(1);
    expect(store.getState().undo.status).toBe('idle');
    store.getState().undoFailed({ code: 'edit_superseded', message: 'A colleague changed it' });
    expect(store.getState().undo).toEqual({ status: 'failed', message: 'A colleague changed it' });
  });
});

describe('convergence (seeded fuzz)', () => {
  /**
   * A database (cells with versions), local edits committed in order, colleagues' writes, and
   * a network that delivers acknowledgements, echoes and snapshots late, out of order,
   * duplicated, or (for acks) never. After everything is delivered, every cell shows what the
   * database holds and nothing is left pending.
   */
  function run(seed: number) {
    const { next: random, pick } = seededRandom(seed);
    const cells = [P1, P2].flatMap((p) => [C1, C2].map((c) => ({ p, c })));
    const db = new Map<string, FeedbackCell>();
    let version = 0;
    const store = createMarkingStore(snapshot());
    const inFlight: Array<() => void> = [];
    let mutation = 0;
    const commit = (p: string, c: string, value: number | null, clientMutationId: string | null) => {
      const committed = row({ version: ++version, pupilId: p, successCriterionId: c, rating: value, clientMutationId });
      db.set(`${p}:${c}`, committed);
      return committed;
    };
    for (let step = 0; step < 60; step++) {
      const action = random();
      if (action < 0.35) {
        const { p, c } = pick(cells);
        const id = `00000000-0000-4000-8000-${String(++mutation).padStart(12, '0')}`;
        const value = pick([0, 1, 2, 3, null]);
        store.getState().cellRated({ clientMutationId: id, pupilId: p, successCriterionId: c, rating: value });
        const committed = commit(p, c, value, id);
        if (random() < 0.9) inFlight.push(() => store.getState().editAcknowledged(id, committed));
        inFlight.push(() => store.getState().remoteRowReceived(committed));
        if (random() < 0.2) inFlight.push(() => store.getState().remoteRowReceived(committed)); // duplicate
      } else if (action < 0.6) {
        const { p, c } = pick(cells);
        const committed = commit(p, c, pick([0, 1, 2, 3, null]), null);
        inFlight.push(() => store.getState().remoteRowReceived(committed));
      } else if (action < 0.7) {
        const taken = snapshot([...db.values()]);
        store.getState().snapshotRequested();
        inFlight.push(() => store.getState().snapshotLoaded(taken));
      } else if (inFlight.length > 0) {
        const index = Math.floor(random() * inFlight.length);
        inFlight.splice(index, 1)[0]!();
      }
    }
    while (inFlight.length > 0) inFlight.splice(Math.floor(random() * inFlight.length), 1)[0]!();
    // A final reconnect snapshot (what the adapter does) settles acks that never came.
    store.getState().snapshotRequested();
    store.getState().snapshotLoaded(snapshot([...db.values()]));
    return { store, db, cells };
  }

  for (const seed of [1, 2, 3, 42, 1234, 9001, 31337, 271828]) {
    it(`seed ${seed}: every view converges to the database`, () => {
      const { store, db, cells } = run(seed);
      for (const { p, c } of cells) {
        expect(rating(store, p, c)).toBe(db.get(`${p}:${c}`)?.rating ?? null);
      }
      expect(store.getState().loading).toBe(false);
    });
  }
});
