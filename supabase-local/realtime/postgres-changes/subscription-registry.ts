/**
 * The live postgres_changes subscriptions of every channel. Subscribing is synchronous,
 * so a subscription is in force before the join's reply leaves the server. Each entry
 * gets the id realtime-js matches events by (`ids`), a stable 32-bit hash of its params
 * as hosted Realtime's `phash2`.
 */
import type { PostgresChangeParams } from '../protocol/phx-join';
import type { PgSubscriber, SubscribeResult } from './hub';
import { parseFilter, type ParsedFilter } from './subscription-filter';
import type { ChangeType } from './payload';

export type SubscriptionEntry = {
  id: number;
  schema: string;
  /** undefined: every table of the schema. */
  table: string | undefined;
  events: ReadonlySet<ChangeType>;
  filter: ParsedFilter | undefined;
};

export type Subscription = { subscriber: PgSubscriber; entries: SubscriptionEntry[] };

/** Whether an entry covers a change to this table of this type (its row filter aside). */
export function entryCovers(entry: SubscriptionEntry, schema: string, table: string, type: ChangeType): boolean {
  return entry.schema === schema && (entry.table === undefined || entry.table === table) && entry.events.has(type);
}

const ALL_EVENTS: ReadonlySet<ChangeType> = new Set(['INSERT', 'UPDATE', 'DELETE']);

export function subscriptionId(params: PostgresChangeParams): number {
  // FNV-1a over a canonical JSON form; positive 31-bit like phash2's range.
  const canonical = JSON.stringify([params.event, params.schema, params.table ?? null, params.filter ?? null]);
  let hash = 0x811c9dc5;
  for (let index = 0; index < canonical.length; index += 1) {
    hash ^= canonical.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % 0x7fffffff;
}

export class SubscriptionRegistry {
  private readonly subscriptions = new Map<string, Subscription>();

  subscribe(subscriber: PgSubscriber, params: readonly PostgresChangeParams[]): SubscribeResult {
    const entries: SubscriptionEntry[] = [];
    for (const param of params) {
      const event = param.event.toUpperCase();
      if (event !== '*' && !ALL_EVENTS.has(event as ChangeType)) return { ok: false, reason: `Error parsing \`event\` params: ${param.event}` };
      let filter: ParsedFilter | undefined;
      if (param.filter) {
        const parsed = parseFilter(param.filter);
        if (!parsed.ok) return { ok: false, reason: parsed.message };
        filter = parsed.filter;
      }
      entries.push({
        id: subscriptionId(param),
        schema: param.schema || 'public',
        table: param.table && param.table !== '*' ? param.table : undefined,
        events: event === '*' ? ALL_EVENTS : new Set([event as ChangeType]),
        filter,
      });
    }
    this.subscriptions.set(subscriber.id, { subscriber, entries });
    return { ok: true, ids: entries.map((entry) => entry.id) };
  }

  unsubscribe(subscriberId: string): void {
    this.subscriptions.delete(subscriberId);
  }

  /**
   * Whether any subscription could receive such a change (row filters aside). The
   * replication stream keeps only these, so a bulk write to tables nobody watches (a cache
   * rebuild, a seed) is not held in memory.
   */
  wants(schema: string, table: string, type: ChangeType): boolean {
    for (const { entries } of this.subscriptions.values()) {
      if (entries.some((entry) => entryCovers(entry, schema, table, type))) return true;
    }
    return false;
  }

  all(): Iterable<Subscription> {
    return this.subscriptions.values();
  }

  get size(): number {
    return this.subscriptions.size;
  }
}
