/**
 * The Phoenix channel message every serializer decodes to and encodes from, plus the
 * outbound frame union (a plain message, or a user broadcast that vsn 2.0.0 sends as a
 * binary kind-4 frame).
 */
export type PhoenixMessage = {
  joinRef: string | null;
  ref: string | null;
  topic: string;
  event: string;
  payload: unknown;
};

/** A broadcast payload: JSON, or raw bytes (only vsn 2.0.0 binary frames carry bytes). */
export type BroadcastBody = { encoding: 'json'; value: unknown } | { encoding: 'binary'; bytes: Uint8Array };

export type UserBroadcast = {
  topic: string;
  /** The user's event name (`payload.event` in the JSON form). */
  event: string;
  body: BroadcastBody;
  /** Optional frame metadata, JSON (e.g. `{id}`); absent for most broadcasts. */
  meta?: Record<string, unknown>;
};

export type OutboundFrame = { kind: 'message'; message: PhoenixMessage } | { kind: 'user_broadcast'; broadcast: UserBroadcast };

/** What a serializer hands back for one inbound websocket frame. */
export type DecodedFrame =
  | { ok: true; message: PhoenixMessage; body?: BroadcastBody }
  | { ok: false; error: string };

export interface Serializer {
  readonly vsn: '1.0.0' | '2.0.0';
  decode(data: string | Uint8Array, isBinary: boolean): DecodedFrame;
  encode(frame: OutboundFrame): string | Uint8Array;
}

export function userBroadcastAsJson(broadcast: UserBroadcast): Record<string, unknown> {
  const value = broadcast.body.encoding === 'json' ? broadcast.body.value : Array.from(broadcast.body.bytes);
  return {
    type: 'broadcast',
    event: broadcast.event,
    payload: value,
    ...(broadcast.meta ? { meta: broadcast.meta } : {}),
  };
}
