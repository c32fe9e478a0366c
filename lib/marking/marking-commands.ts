/**
 * What the grid's controls do: each command dispatches the optimistic event to the store,
 * calls one server action and dispatches its answer (acknowledged / failed). The actions
 * are injected (the page passes its server actions), so this runs against anything that
 * speaks ActionResult. Components call these; they never touch the network themselves.
 */
import type { ActionResult } from '@/lib/action-result';
import type { SavedFeedback, SaveFeedbackInput } from '@/lib/feedback/schemas';
import {
  selectCellComment,
  selectFillCells,
  selectRetryableEdits,
  type MarkingStoreApi,
} from '@/stores/marking-store';
import type { FillCellsInput, UndoEditInput } from './bulk-writes';
import type { FeedbackCell } from './schemas';

export type MarkingServerActions = {
  save(input: SaveFeedbackInput): Promise<ActionResult<SavedFeedback>>;
  fill(input: FillCellsInput): Promise<ActionResult<FeedbackCell[]>>;
  undo(input: UndoEditInput): Promise<ActionResult<FeedbackCell[]>>;
};

export type FillTarget = { kind: 'column'; criterionId: string } | { kind: 'row'; pupilId: string };

const UNREACHABLE = {
  code: 'unavailable',
  message: 'Your mark was not saved because the markbook is unreachable. It will be retried; check your connection.',
};

function toCell(saved: SavedFeedback): FeedbackCell {
  return {
    id: saved.id,
    pupilId: saved.pupilId,
    successCriterionId: saved.successCriterionId,
    rating: saved.rating,
    comment: saved.comment,
    updatedBy: saved.updatedBy,
    updatedAt: saved.updatedAt,
    version: saved.version,
    clientMutationId: saved.clientMutationId,
  };
}

export function createMarkingCommands(store: MarkingStoreApi, actions: MarkingServerActions, newId = () => crypto.randomUUID()) {
  const assignmentId = () => store.getState().assignment.id;

  async function send(clientMutationId: string): Promise<void> {
    const edit = store.getState().pending[clientMutationId];
    if (!edit) return;
    let result: ActionResult<SavedFeedback>;
    try {
      result = await actions.save({
        assignmentId: assignmentId(),
        pupilId: edit.pupilId,
        successCriterionId: edit.successCriterionId,
        rating: edit.rating,
        // Keep the cell's comment: a rating click never wipes it.
        comment: selectCellComment(edit.pupilId, edit.successCriterionId)(store.getState()),
        clientMutationId,
      });
    } catch {
      result = { ok: false, ...UNREACHABLE }; // the request never reached the server
    }
    if (result.ok) store.getState().editAcknowledged(clientMutationId, toCell(result.data));
    else store.getState().editFailed(clientMutationId, { code: result.code, message: result.message });
  }

  return {
    rate(pupilId: string, successCriterionId: string, rating: number | null): Promise<void> {
      if (!store.getState().canMark) return Promise.resolve();
      const clientMutationId = newId();
      store.getState().cellRated({ clientMutationId, pupilId, successCriterionId, rating });
      return send(clientMutationId);
    },

    retry(clientMutationId: string): Promise<void> {
      store.getState().editRetried(clientMutationId);
      return send(clientMutationId);
    },

    /** After a reconnect: every edit that failed only because the markbook was unreachable. */
    retryUnsent(): Promise<void[]> {
      return Promise.all(selectRetryableEdits(store.getState()).map((edit) => this.retry(edit.clientMutationId)));
    },

    dismiss(clientMutationId: string): void {
      store.getState().editDismissed(clientMutationId);
    },

    async fill(target: FillTarget, rating: number | null): Promise<void> {
      if (!store.getState().canMark) return;
      const cells = selectFillCells(store.getState(), target).map((cell) => ({ ...cell, clientMutationId: newId() }));
      if (cells.length === 0) return;
      for (const cell of cells) store.getState().cellRated({ ...cell, rating });
      let result: ActionResult<FeedbackCell[]>;
      try {
        result = await actions.fill({ assignmentId: assignmentId(), rating, cells });
      } catch {
        result = { ok: false, ...UNREACHABLE };
      }
      if (result.ok) {
        const byMutation = new Map(result.data.map((row) => [row.clientMutationId, row]));
        for (const cell of cells) {
          const row = byMutation.get(cell.clientMutationId);
          if (row) store.getState().editAcknowledged(cell.clientMutationId, row);
          else store.getState().editDismissed(cell.clientMutationId); // a retried fill: the row came by realtime
        }
        for (const row of result.data) store.getState().remoteRowReceived(row);
      } else {
        for (const cell of cells) store.getState().editFailed(cell.clientMutationId, { code: result.code, message: result.message });
      }
    },

    async undo(): Promise<void> {
      if (!store.getState().canMark || store.getState().undo.status === 'working') return;
      store.getState().undoRequested();
      let result: ActionResult<FeedbackCell[]>;
      try {
        result = await actions.undo({ assignmentId: assignmentId(), clientMutationId: newId() });
      } catch {
        result = { ok: false, ...UNREACHABLE };
      }
      if (result.ok) store.getState().undoCompleted(result.data);
      else store.getState().undoFailed({ code: result.code, message: result.message });
    },
  };
}

export type MarkingCommands = ReturnType<typeof createMarkingCommands>;
