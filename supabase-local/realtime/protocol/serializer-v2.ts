/**
 * vsn 2.0.0 (realtime-js's default): text frames are `[join_ref, ref, topic, event,
 * payload]`; user broadcasts travel as binary frames (kind 3 in, kind 4 out).
 */
import { z } from 'zod';
import { decodeUserBroadcastPush, encodeUserBroadcast } from './binary-broadcast';
import type { DecodedFrame, OutboundFrame, Serializer } from './message';

const refSchema = z.union([z.string(), z.number().transform(String)]).nullable();
const v2FrameSchema = z.tuple([refSchema, refSchema, z.string(), z.string(), z.unknown()]).rest(z.unknown());

export const serializerV2: Serializer = {
  vsn: '2.0.0',
  decode(data, isBinary): DecodedFrame {
    if (isBinary || typeof data !== 'string') {
      const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
      return decodeUserBroadcastPush(bytes);
    }
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      return { ok: false, error: 'frame is not JSON' };
    }
    const parsed = v2FrameSchema.safeParse(json);
    if (!parsed.success) return { ok: false, error: 'frame is not [join_ref, ref, topic, event, payload]' };
    const [joinRef, ref, topic, event, payload] = parsed.data;
    return { ok: true, message: { joinRef, ref, topic, event, payload: payload ?? {} } };
  },
  encode(frame: OutboundFrame): string | Uint8Array {
    if (frame.kind === 'user_broadcast') return encodeUserBroadcast(frame.broadcast);
    const { message } = frame;
    return JSON.stringify([message.joinRef, message.ref, message.topic, message.event, message.payload]);
  },
};
