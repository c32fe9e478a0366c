/**
 * Every message a client may send, as one union. Each decoded frame is parsed against it
 * before dispatch; anything else is a typed protocol error.
 */
import { z } from 'zod';
import { accessTokenSchema } from './access-token';
import { broadcastPushSchema } from './broadcast-push';
import { heartbeatSchema } from './heartbeat';
import type { BroadcastBody, PhoenixMessage } from './message';
import { phxJoinSchema } from './phx-join';
import { phxLeaveSchema } from './phx-leave';
import { presencePushSchema } from './presence-push';

const inboundSchema = z.discriminatedUnion('event', [
  heartbeatSchema,
  phxJoinSchema,
  phxLeaveSchema,
  accessTokenSchema,
  broadcastPushSchema,
  presencePushSchema,
]);

type Refs = { ref: string | null; joinRef: string | null };
export type InboundMessage = z.infer<typeof inboundSchema> & Refs;
export type InboundOf<E extends InboundMessage['event']> = Extract<InboundMessage, { event: E }>;

export type InboundParse =
  | { ok: true; message: InboundMessage; body?: BroadcastBody }
  | { ok: false; error: 'unknown_event' | 'invalid_payload'; detail: string; message: PhoenixMessage };

const KNOWN_EVENTS: ReadonlySet<string> = new Set(['heartbeat', 'phx_join', 'phx_leave', 'access_token', 'broadcast', 'presence']);

export function parseInbound(message: PhoenixMessage, body?: BroadcastBody): InboundParse {
  if (!KNOWN_EVENTS.has(message.event)) return { ok: false, error: 'unknown_event', detail: message.event, message };
  const parsed = inboundSchema.safeParse({ event: message.event, topic: message.topic, payload: message.payload });
  if (!parsed.success) return { ok: false, error: 'invalid_payload', detail: parsed.error.issues[0]?.message ?? 'invalid', message };
  return { ok: true, message: { ...parsed.data, ref: message.ref, joinRef: message.joinRef }, ...(body ? { body } : {}) };
}
