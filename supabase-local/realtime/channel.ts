/**
 * One joined channel on one connection: its topic, join ref, config and auth, its
 * postgres_changes subscription and presence, and the token-expiry timer that closes it
 * with a `system` error as hosted Realtime does.
 */
import type { ChannelAuth } from './channel-auth';
import type { PgSubscriber } from './postgres-changes/hub';
import type { OutboundFrame } from './protocol/message';
import type { JoinConfig } from './protocol/phx-join';
import type { ChannelMember } from './topic-registry';

export class JoinedChannel implements ChannelMember, PgSubscriber {
  readonly id: string;
  readonly broadcastSelf: boolean;
  readonly broadcastAck: boolean;
  readonly presenceEnabled: boolean;
  readonly presenceKey: string;
  private cancelExpiry: (() => void) | undefined;

  constructor(
    readonly topic: string,
    readonly joinRef: string | null,
    readonly config: JoinConfig,
    private currentAuth: ChannelAuth,
    connectionId: string,
    private readonly deliver: (frame: OutboundFrame) => void,
    newPresenceKey: () => string,
  ) {
    this.id = `${connectionId}:${joinRef ?? ''}:${topic}`;
    this.broadcastSelf = config.broadcast?.self === true;
    this.broadcastAck = config.broadcast?.ack === true;
    this.presenceEnabled = config.presence?.enabled === true;
    this.presenceKey = config.presence?.key || newPresenceKey();
  }

  /** The topic without `realtime:` — what Supabase calls the channel name. */
  get subTopic(): string {
    return this.topic.slice('realtime:'.length);
  }

  auth(): ChannelAuth {
    return this.currentAuth;
  }

  replaceAuth(auth: ChannelAuth, cancelExpiry: () => void): void {
    this.currentAuth = auth;
    this.cancelExpiry?.();
    this.cancelExpiry = cancelExpiry;
  }

  send(frame: OutboundFrame): void {
    this.deliver(frame);
  }

  dispose(): void {
    this.cancelExpiry?.();
    this.cancelExpiry = undefined;
  }
}
