/**
 * One websocket connection speaking the Phoenix channel protocol: decodes and parses
 * every frame against the inbound union, handles each message in arrival order, answers
 * heartbeats, closes an idle connection, and tears its channels down on close.
 * Handlers return a discriminated outcome that one `switch` turns into frames.
 */
import { fanOutBroadcast } from './broadcast';
import { expiredMessage, isOpaqueKey, type ChannelAuth, type TokenVerifier } from './channel-auth';
import { JoinedChannel } from './channel';
import type { PostgresChangesHub } from './postgres-changes/hub';
import type { PresenceRegistry } from './presence';
import { PHOENIX_TOPIC } from './protocol/heartbeat';
import { parseInbound, type InboundMessage, type InboundOf } from './protocol/inbound';
import type { BroadcastBody, OutboundFrame, Serializer } from './protocol/message';
import { phxClose, presenceState, reply, system } from './protocol/outbound';
import type { Scheduler } from './scheduler';
import type { TopicRegistry } from './topic-registry';
import { CLOSE_GOING_AWAY, CLOSE_UNSUPPORTED_DATA, type Transport } from './transport';

// > the client's 25 s heartbeat interval, with slack for a busy machine.
export const HEARTBEAT_TIMEOUT_MS = 60_000;
const TOPIC_PREFIX = 'realtime:';

export type SessionDeps = {
  connectionId: string;
  transport: Transport;
  serializer: Serializer;
  scheduler: Scheduler;
  /** The connection's verified apikey; channels fall back to it without `access_token`. */
  socketAuth: ChannelAuth;
  verifyToken: TokenVerifier;
  topics: TopicRegistry;
  presence: PresenceRegistry;
  postgresChanges: PostgresChangesHub;
  newPresenceKey(): string;
  log(line: string): void;
};

type Outcome =
  | { type: 'reply'; status: 'ok' | 'error'; response: unknown }
  | { type: 'joined'; channel: JoinedChannel; response: unknown }
  | { type: 'close_channel'; channel: JoinedChannel; message: string }
  | { type: 'noreply' };

const ok = (response: unknown = {}): Outcome => ({ type: 'reply', status: 'ok', response });
const error = (reason: string): Outcome => ({ type: 'reply', status: 'error', response: { reason } });

export class SocketSession {
  private readonly channels = new Map<string, JoinedChannel>();
  private queue: Promise<void> = Promise.resolve();
  private cancelIdle: () => void = () => {};
  private closed = false;

  constructor(private readonly deps: SessionDeps) {
    this.armIdleTimer();
  }

  /** One inbound websocket frame. Messages are handled strictly in arrival order. */
  receive(data: string | Uint8Array, isBinary: boolean): void {
    if (this.closed) return;
    this.armIdleTimer();
    const decoded = this.deps.serializer.decode(data, isBinary);
    if (!decoded.ok) {
      this.deps.log(`realtime: closing connection ${this.deps.connectionId}: ${decoded.error}`);
      this.deps.transport.close(CLOSE_UNSUPPORTED_DATA, decoded.error);
      this.handleClose();
      return;
    }
    this.queue = this.queue
      .then(() => this.dispatch(decoded.message, decoded.body))
      .catch((caught: unknown) => this.deps.log(`realtime: handler failed: ${String(caught)}`));
  }

  /** The transport closed (either side): leave every channel. */
  handleClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.cancelIdle();
    for (const channel of [...this.channels.values()]) this.teardown(channel);
  }

  /** Server-initiated close (shutdown). */
  shutdown(): void {
    this.deps.transport.close(CLOSE_GOING_AWAY, 'server shutting down');
    this.handleClose();
  }

  /** Settles once every message received so far has been handled (tests). */
  idle(): Promise<void> {
    return this.queue;
  }

  private armIdleTimer(): void {
    this.cancelIdle();
    this.cancelIdle = this.deps.scheduler.schedule(HEARTBEAT_TIMEOUT_MS, () => {
      this.deps.transport.close(CLOSE_GOING_AWAY, 'heartbeat timeout');
      this.handleClose();
    });
  }

  private send(frame: OutboundFrame): void {
    if (this.closed) return;
    this.deps.transport.send(this.deps.serializer.encode(frame));
  }

  private async dispatch(raw: Parameters<typeof parseInbound>[0], body?: BroadcastBody): Promise<void> {
    if (this.closed) return;
    const parsed = parseInbound(raw, body);
    if (!parsed.ok) {
      const reason = parsed.error === 'unknown_event' ? `UnknownEvent: ${parsed.detail}` : `InvalidMessage: ${parsed.detail}`;
      this.send(reply(raw.topic, raw.ref, raw.joinRef, 'error', { reason }));
      return;
    }
    const message = parsed.message;
    const outcome = await this.handle(message, parsed.body);
    switch (outcome.type) {
      case 'reply':
        this.send(reply(message.topic, message.ref, message.joinRef, outcome.status, outcome.response));
        return;
      case 'joined': {
        const { channel } = outcome;
        this.send(reply(channel.topic, message.ref, channel.joinRef, 'ok', outcome.response));
        if ((channel.config.postgres_changes ?? []).length > 0) {
          this.send(system(channel.topic, channel.joinRef, { extension: 'postgres_changes', status: 'ok', message: 'Subscribed to PostgreSQL', channel: channel.subTopic }));
        }
        if (channel.presenceEnabled) this.send(presenceState(channel.topic, channel.joinRef, this.deps.presence.state(channel.topic)));
        return;
      }
      case 'close_channel':
        this.closeChannel(outcome.channel, outcome.message);
        return;
      case 'noreply':
        return;
    }
  }

  private handle(message: InboundMessage, body?: BroadcastBody): Promise<Outcome> | Outcome {
    switch (message.event) {
      case 'heartbeat':
        return ok();
      case 'phx_join':
        return this.join(message);
      case 'phx_leave': {
        const channel = this.channels.get(message.topic);
        if (channel) this.teardown(channel);
        return ok();
      }
      case 'access_token':
        return this.refreshToken(message);
      case 'broadcast':
        return this.broadcast(message, body);
      case 'presence':
        return this.presence(message);
    }
  }

  private async resolveAuth(token: string | null | undefined): Promise<{ ok: true; auth: ChannelAuth } | { ok: false; message: string }> {
    if (!token || isOpaqueKey(token) || token === this.deps.socketAuth.token) return { ok: true, auth: this.deps.socketAuth };
    const verified = await this.deps.verifyToken(token);
    if (!verified.ok) return { ok: false, message: expiredMessage(verified) };
    return { ok: true, auth: { role: verified.claims.role, claims: verified.claims, token } };
  }

  private async join(message: InboundOf<'phx_join'>): Promise<Outcome> {
    const { topic } = message;
    if (topic === PHOENIX_TOPIC) return error('UnknownTopic: cannot join phoenix');
    if (!topic.startsWith(TOPIC_PREFIX) || topic.length === TOPIC_PREFIX.length) return error('TopicNameRequired: You must provide a topic name');
    const config = message.payload.config ?? {};
    if (config.private === true) return error('PrivateChannelsUnsupported: the local stack serves public channels only');
    const resolved = await this.resolveAuth(message.payload.access_token ?? message.payload.user_token);
    if (!resolved.ok) return error(`InvalidJWTToken: ${resolved.message}`);

    const previous = this.channels.get(topic);
    if (previous) {
      this.teardown(previous);
      this.send(phxClose(topic, previous.joinRef));
    }
    const channel = new JoinedChannel(topic, message.joinRef, config, resolved.auth, this.deps.connectionId, (frame) => this.send(frame), this.deps.newPresenceKey);
    const params = config.postgres_changes ?? [];
    let ids: number[] = [];
    if (params.length > 0) {
      const subscribed = this.deps.postgresChanges.subscribe(channel, params);
      if (!subscribed.ok) return error(subscribed.reason);
      ids = subscribed.ids;
    }
    this.channels.set(topic, channel);
    this.deps.topics.add(channel);
    channel.replaceAuth(resolved.auth, this.scheduleExpiry(channel, resolved.auth));
    return { type: 'joined', channel, response: { postgres_changes: params.map((entry, index) => ({ ...entry, id: ids[index] })) } };
  }

  private scheduleExpiry(channel: JoinedChannel, auth: ChannelAuth): () => void {
    const delayMs = auth.claims.exp * 1000 - this.deps.scheduler.now();
    return this.deps.scheduler.schedule(delayMs, () => {
      if (this.channels.get(channel.topic) === channel) this.closeChannel(channel, 'Token has expired');
    });
  }

  private async refreshToken(message: InboundOf<'access_token'>): Promise<Outcome> {
    const channel = this.channels.get(message.topic);
    if (!channel) return { type: 'noreply' };
    const token = message.payload.access_token;
    if (!token || isOpaqueKey(token) || token === channel.auth().token) return { type: 'noreply' };
    const resolved = await this.resolveAuth(token);
    if (!resolved.ok) return { type: 'close_channel', channel, message: resolved.message };
    channel.replaceAuth(resolved.auth, this.scheduleExpiry(channel, resolved.auth));
    return { type: 'noreply' };
  }

  private broadcast(message: InboundOf<'broadcast'>, body?: BroadcastBody): Outcome {
    const channel = this.channels.get(message.topic);
    if (!channel) return error('unmatched topic');
    const { event, payload, type: _type, ...meta } = message.payload;
    const metaEntries = Object.entries(meta);
    fanOutBroadcast(
      this.deps.topics,
      { topic: channel.topic, event, body: body ?? { encoding: 'json', value: payload }, ...(metaEntries.length > 0 && body ? { meta: Object.fromEntries(metaEntries) } : {}) },
      channel,
    );
    return channel.broadcastAck ? ok() : { type: 'noreply' };
  }

  private presence(message: InboundOf<'presence'>): Outcome {
    const channel = this.channels.get(message.topic);
    if (!channel) return error('unmatched topic');
    if (message.payload.event === 'track') this.deps.presence.track(channel, channel.presenceKey, message.payload.payload);
    else this.deps.presence.untrack(channel);
    return ok();
  }

  private closeChannel(channel: JoinedChannel, text: string): void {
    this.send(system(channel.topic, channel.joinRef, { extension: 'system', status: 'error', message: text, channel: channel.subTopic }));
    this.send(phxClose(channel.topic, channel.joinRef));
    this.teardown(channel);
  }

  private teardown(channel: JoinedChannel): void {
    if (this.channels.get(channel.topic) === channel) this.channels.delete(channel.topic);
    channel.dispose();
    this.deps.topics.remove(channel);
    this.deps.presence.untrack(channel);
    this.deps.postgresChanges.unsubscribe(channel.id);
  }
}
