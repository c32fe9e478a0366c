/**
 * vsn 1.0.0: text frames holding `{topic, event, payload, ref, join_ref}` (Phoenix's V1
 * JSON serializer). Broadcasts go out as ordinary `broadcast` messages.
 */
import { z } from 'zod';
import { userBroadcastAsJson, type DecodedFrame, type OutboundFrame, type Serializer } from './message';

const refSchema = z.union([z.string(), z.number().transform(String)]).nullish().transform((value) => value ?? null);

const v1FrameSchema = z.object({
  topic: z.string(),
  event: z.string(),
  payload: z.unknown(),
  ref: refSchema,
  join_ref: refSchema,
});

export const serializerV1: Serializer = {
  vsn: '1.0.0',
  decode(data, isBinary): DecodedFrame {
    if (isBinary || typeof data !== 'string') return { ok: false, error: 'binary frames need vsn 2.0.0' };
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      return { ok: false, error: 'frame is not JSON' };
    }
    const parsed = v1FrameSchema.safeParse(json);
    if (!parsed.success) return { ok: false, error: 'frame is not {topic, event, payload, ref, join_ref}' };
    const { topic, event, payload, ref, join_ref } = parsed.data;
    return { ok: true, message: { topic, event, payload: payload ?? {}, ref, joinRef: join_ref } };
  },
  encode(frame: OutboundFrame): string {
    if (frame.kind === 'user_broadcast') {
      const { broadcast } = frame;
      return JSON.stringify({ topic: broadcast.topic, event: 'broadcast', payload: userBroadcastAsJson(broadcast), ref: null, join_ref: null });
    }
    const { message } = frame;
    return JSON.stringify({ topic: message.topic, event: message.event, payload: message.payload, ref: message.ref, join_ref: message.joinRef });
  },
};
