/**
 * Builders for every message the server sends: replies, `system`, `phx_close`,
 * `phx_error`, `postgres_changes`, `presence_state`/`presence_diff`. Each returns a frame
 * ready for the connection's serializer.
 */
import type { OutboundFrame, PhoenixMessage, UserBroadcast } from './message';

const frame = (message: PhoenixMessage): OutboundFrame => ({ kind: 'message', message });

export function reply(topic: string, ref: string | null, joinRef: string | null, status: 'ok' | 'error', response: unknown): OutboundFrame {
  return frame({ topic, event: 'phx_reply', ref, joinRef, payload: { status, response } });
}

export type SystemPayload = { extension: 'system' | 'postgres_changes'; status: 'ok' | 'error'; message: string; channel: string };

export function system(topic: string, joinRef: string | null, payload: SystemPayload): OutboundFrame {
  return frame({ topic, event: 'system', ref: null, joinRef, payload });
}

export function phxClose(topic: string, joinRef: string | null): OutboundFrame {
  return frame({ topic, event: 'phx_close', ref: joinRef, joinRef, payload: {} });
}

export function phxError(topic: string, joinRef: string | null): OutboundFrame {
  return frame({ topic, event: 'phx_error', ref: joinRef, joinRef, payload: {} });
}

export function postgresChanges(topic: string, ids: number[], data: unknown): OutboundFrame {
  return frame({ topic, event: 'postgres_changes', ref: null, joinRef: null, payload: { ids, data } });
}

export type PresenceMeta = { phx_ref: string; phx_ref_prev?: string } & Record<string, unknown>;
export type PresenceEntries = Record<string, { metas: PresenceMeta[] }>;

export function presenceState(topic: string, joinRef: string | null, state: PresenceEntries): OutboundFrame {
  return frame({ topic, event: 'presence_state', ref: null, joinRef, payload: state });
}

export function presenceDiff(topic: string, diff: { joins: PresenceEntries; leaves: PresenceEntries }): OutboundFrame {
  return frame({ topic, event: 'presence_diff', ref: null, joinRef: null, payload: diff });
}

export function userBroadcast(broadcast: UserBroadcast): OutboundFrame {
  return { kind: 'user_broadcast', broadcast };
}
