/**
 * The two binary frames of vsn 2.0.0 that realtime-js uses (serializer.ts in the pinned
 * client): kind 3 USER_BROADCAST_PUSH (client → server) and kind 4 USER_BROADCAST
 * (server → client). Every length field is one byte, so each part is ≤ 255 bytes.
 */
import type { BroadcastBody, PhoenixMessage, UserBroadcast } from './message';

export const USER_BROADCAST_PUSH_KIND = 3;
export const USER_BROADCAST_KIND = 4;
const BINARY_ENCODING = 0;
const JSON_ENCODING = 1;
// kind + 6 one-byte lengths/encoding for kind 3; kind + 4 for kind 4.
const PUSH_HEADER_BYTES = 7;
const BROADCAST_HEADER_BYTES = 5;
const MAX_FIELD_BYTES = 255;

const decoder = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

export type DecodedPush =
  | { ok: true; message: PhoenixMessage; body: BroadcastBody }
  | { ok: false; error: string };

export function decodeUserBroadcastPush(bytes: Uint8Array): DecodedPush {
  if (bytes.length < PUSH_HEADER_BYTES) return { ok: false, error: 'binary frame too short' };
  if (bytes[0] !== USER_BROADCAST_PUSH_KIND) return { ok: false, error: `unsupported binary frame kind ${bytes[0]}` };
  const [joinRefLen, refLen, topicLen, eventLen, metaLen, encoding] = Array.from(bytes.subarray(1, PUSH_HEADER_BYTES)) as [number, number, number, number, number, number];
  if (encoding !== BINARY_ENCODING && encoding !== JSON_ENCODING) return { ok: false, error: `unknown payload encoding ${encoding}` };
  let offset = PUSH_HEADER_BYTES;
  const take = (length: number): Uint8Array => {
    const part = bytes.subarray(offset, offset + length);
    offset += length;
    return part;
  };
  if (offset + joinRefLen + refLen + topicLen + eventLen + metaLen > bytes.length) return { ok: false, error: 'binary frame lengths exceed frame' };
  try {
    const joinRef = decoder.decode(take(joinRefLen));
    const ref = decoder.decode(take(refLen));
    const topic = decoder.decode(take(topicLen));
    const event = decoder.decode(take(eventLen));
    const metaText = decoder.decode(take(metaLen));
    const rest = bytes.slice(offset);
    const body: BroadcastBody =
      encoding === JSON_ENCODING ? { encoding: 'json', value: JSON.parse(decoder.decode(rest)) as unknown } : { encoding: 'binary', bytes: rest };
    const meta: unknown = metaText ? JSON.parse(metaText) : {};
    const payload = {
      type: 'broadcast',
      event,
      payload: body.encoding === 'json' ? body.value : null,
      ...(typeof meta === 'object' && meta !== null ? meta : {}),
    };
    return { ok: true, message: { joinRef: joinRef || null, ref: ref || null, topic, event: 'broadcast', payload }, body };
  } catch {
    return { ok: false, error: 'binary frame is not valid UTF-8/JSON' };
  }
}

export function encodeUserBroadcast(broadcast: UserBroadcast): Uint8Array {
  const topic = encoder.encode(broadcast.topic);
  const event = encoder.encode(broadcast.event);
  const meta = encoder.encode(broadcast.meta ? JSON.stringify(broadcast.meta) : '');
  for (const [name, part] of [['topic', topic], ['event', event], ['metadata', meta]] as const) {
    if (part.length > MAX_FIELD_BYTES) throw new RangeError(`${name} is ${part.length} bytes, over ${MAX_FIELD_BYTES}`);
  }
  const payload = broadcast.body.encoding === 'json' ? encoder.encode(JSON.stringify(broadcast.body.value ?? {})) : broadcast.body.bytes;
  const frame = new Uint8Array(BROADCAST_HEADER_BYTES + topic.length + event.length + meta.length + payload.length);
  frame.set([USER_BROADCAST_KIND, topic.length, event.length, meta.length, broadcast.body.encoding === 'json' ? JSON_ENCODING : BINARY_ENCODING]);
  let offset = BROADCAST_HEADER_BYTES;
  for (const part of [topic, event, meta, payload]) {
    frame.set(part, offset);
    offset += part.length;
  }
  return frame;
}
