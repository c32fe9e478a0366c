/**
 * What every server action returns: the data, or a stable error code with a message that is
 * safe to show (never raw Postgres or GoTrue text). `fields` echoes back what the user typed
 * so a form can keep it after a failed submit.
 */
export type ActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; code: string; message: string; fields?: Record<string, string> };

export function actionOk<T>(data: T): ActionResult<T> {
  return { ok: true, data };
}

export function actionError<T = never>(code: string, message: string, fields?: Record<string, string>): ActionResult<T> {
  return fields ? { ok: false, code, message, fields } : { ok: false, code, message };
}
