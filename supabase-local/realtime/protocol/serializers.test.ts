/** Frame codecs: v1 objects, v2 arrays, binary kinds 3 and 4, refusal of malformed frames. */
import { describe, expect, test } from 'vitest';
import { decodeUserBroadcastPush, encodeUserBroadcast } from './binary-broadcast';
import { serializerV1 } from './serializer-v1';
import { serializerV2 } from './serializer-v2';
import { serializerFor } from './serializers';

describe('serializers', () => {
  test('vsn selection: absent → 1.0.0, unknown → none', () => {
    expect(serializerFor(null)?.vsn).toBe('1.0.0');
    expect(serializerFor('2.0.0')?.vsn).toBe('2.0.0');
    expect(serializerFor('3.0.0')).toBeUndefined();
  });

  test('v1 and v2 text round trip', () => {
    const message = { joinRef: '1', ref: '2', topic: 'realtime:x', event: 'phx_join', payload: { a: 1 } };
    for (const serializer of [serializerV1, serializerV2]) {
      const encoded = serializer.encode({ kind: 'message', message });
      expect(serializer.decode(encoded, false)).toEqual({ ok: true, message });
    }
    expect(serializerV2.encode({ kind: 'message', message })).toBe('["1","2","realtime:x","phx_join",{"a":1}]');
  });

  test('malformed frames are typed errors', () => {
    expect(serializerV2.decode('nope', false)).toEqual({ ok: false, error: 'frame is not JSON' });
    expect(serializerV2.decode('{"topic":"x"}', false).ok).toBe(false);
    expect(serializerV1.decode('[null,null,"x","y",{}]', false).ok).toBe(false);
    expect(serializerV1.decode(new Uint8Array([3]), true).ok).toBe(false);
    expect(decodeUserBroadcastPush(new Uint8Array([9, 0, 0, 0, 0, 0, 1]))).toEqual({ ok: false, error: 'unsupported binary frame kind 9' });
    expect(decodeUserBroadcastPush(new Uint8Array([3, 200, 0, 0, 0, 0, 1])).ok).toBe(false);
  });

  test('kind 4 carries topic, event and JSON or binary payload with 1-byte lengths', () => {
    const frame = encodeUserBroadcast({ topic: 'realtime:é', event: 'ev', body: { encoding: 'json', value: { x: 1 } } });
    const topicBytes = new TextEncoder().encode('realtime:é');
    expect([...frame.subarray(0, 5)]).toEqual([4, topicBytes.length, 2, 0, 1]);
    expect(new TextDecoder().decode(frame.subarray(5 + topicBytes.length + 2))).toBe('{"x":1}');
    const binary = encodeUserBroadcast({ topic: 't', event: 'e', body: { encoding: 'binary', bytes: new Uint8Array([7, 8]) } });
    expect([...binary]).toEqual([4, 1, 1, 0, 0, 116, 101, 7, 8]);
    expect(() => encodeUserBroadcast({ topic: 'x'.repeat(256), event: 'e', body: { encoding: 'json', value: {} } })).toThrow(RangeError);
  });
});
