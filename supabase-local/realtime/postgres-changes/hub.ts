/** What a channel needs from the postgres_changes machinery: subscribe and unsubscribe. */
import type { ChannelAuth } from '../channel-auth';
import type { OutboundFrame } from '../protocol/message';
import type { PostgresChangeParams } from '../protocol/phx-join';

export interface PgSubscriber {
  readonly id: string;
  readonly topic: string;
  /** Current auth; read at check time so an `access_token` refresh applies at once. */
  auth(): ChannelAuth;
  send(frame: OutboundFrame): void;
}

export type SubscribeResult = { ok: true; ids: number[] } | { ok: false; reason: string };

export interface PostgresChangesHub {
  /** Synchronous: once it returns ok, every later commit is checked against the subscription. */
  subscribe(subscriber: PgSubscriber, params: readonly PostgresChangeParams[]): SubscribeResult;
  unsubscribe(subscriberId: string): void;
}
