/** What a handler hands to the transaction runner: one statement and how to answer from its row. */
import type { RequestRole } from '../../http/request-role';
import type { ResponseMedia } from '../request/media';
import type { Preferences } from '../request/prefer';
import type { StatementRow } from '../sql/statement';

export type HttpReply = { status: number; headers: Record<string, string>; body: string | null };

export type Plan = {
  sql: string;
  params: unknown[];
  readOnly: boolean;
  /**
   * Whether `respond` can refuse (throw). When it cannot, a write commits in the same round
   * trip as its statement; when it can, the transaction stays open until it has answered.
   */
  mayRefuse: boolean;
  /** May throw a RestError (e.g. PGRST116), which rolls the transaction back. */
  respond(row: StatementRow): HttpReply;
};

export type RestRequest = {
  method: string;
  schema: string;
  url: URL;
  headers: Record<string, string>;
  prefs: Preferences;
  media: ResponseMedia;
  body: string;
  role: RequestRole;
};
