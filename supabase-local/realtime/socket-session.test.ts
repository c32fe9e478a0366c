/**
 * The Phoenix protocol over an in-memory socket pair with a manual clock: heartbeats,
 * joins and their replies, postgres_changes echo, leave, bad frames, token refresh and
 * expiry, idle timeout, broadcast self/ack and presence diffs.
 */
import { describe, expect, test } from 'vitest';
import { encodeUserBroadcast } from './protocol/binary-broadcast';
import { serializerV1 } from './protocol/serializer-v1';
import { serializerV2 } from './protocol/serializer-v2';
import { HEARTBEAT_TIMEOUT_MS } from './socket-session';
import { createWorld, signToken } from './testing/memory-socket';
import { CLOSE_GOING_AWAY, CLOSE_UNSUPPORTED_DATA } from './transport';

const HOUR_MS = 3_600_000;
const v2 = (joinRef: string | null, ref: string | null, topic: string, event: string, payload: unknown) => JSON.stringify([joinRef, ref, topic, event, payload]);

async function setup() {
  const world = createWorld();
  const token = await signToken({ role: 'anon' }, world.scheduler.now() + HOUR_MS);
  return { world, token };
}

describe('socket session (vsn 2.0.0)', () => {
  test('heartbeat gets phx_reply ok on phoenix', async () => {
    const { world, token } = await setup();
    const peer = await world.connect(serializerV2, token);
    await peer.push(v2(null, '1', 'phoenix', 'heartbeat', {}));
    expect(peer.drain()).toEqual([{ joinRef: null, ref: '1', topic: 'phoenix', event: 'phx_reply', payload: { status: 'ok', response: {} } }]);
  });

  test('join echoes postgres_changes with ids, then system ok; subscription is live before the reply', async () => {
    const { world, token } = await setup();
    const peer = await world.connect(serializerV2, token);
    const params = [
      { event: '*', schema: 'public', table: 'notes' },
      { event: 'INSERT', schema: 'public', table: 'notes', filter: 'id=eq.3' },
    ];
    await peer.push(v2('1', '1', 'realtime:room', 'phx_join', { config: { broadcast: { self: false }, presence: { key: '' }, postgres_changes: params, private: false } }));
    expect(world.registry.size).toBe(1);
    const [joinReply, systemMessage] = peer.drain();
    expect(joinReply).toMatchObject({ joinRef: '1', ref: '1', topic: 'realtime:room', event: 'phx_reply', payload: { status: 'ok' } });
    const echoed = (joinReply!.payload as { response: { postgres_changes: Array<Record<string, unknown>> } }).response.postgres_changes;
    expect(echoed).toEqual(params.map((entry) => ({ ...entry, id: expect.any(Number) })));
    expect(new Set(echoed.map((entry) => entry.id)).size).toBe(2);
    expect(systemMessage).toMatchObject({ event: 'system', payload: { extension: 'postgres_changes', status: 'ok', message: 'Subscribed to PostgreSQL', channel: 'room' } });
  });

  test('a bad filter, a bare topic and an unknown event get error replies', async () => {
    const { world, token } = await setup();
    const peer = await world.connect(serializerV2, token);
    await peer.push(v2('1', '1', 'realtime:x', 'phx_join', { config: { postgres_changes: [{ event: '*', schema: 'public', table: 't', filter: 'id=like.1' }] } }));
    await peer.push(v2('2', '2', 'realtime:', 'phx_join', { config: {} }));
    await peer.push(v2('3', '3', 'realtime:y', 'nonsense', {}));
    const replies = peer.drain().map((message) => (message.payload as { status: string; response: { reason: string } }));
    expect(replies.map((reply) => reply.status)).toEqual(['error', 'error', 'error']);
    expect(replies.map((reply) => reply.response.reason)).toEqual([expect.stringMatching(/filter/), expect.stringMatching(/^TopicNameRequired/), 'UnknownEvent: nonsense']);
    expect(world.registry.size).toBe(0);
  });

  test('an unparseable frame closes the connection', async () => {
    const { world, token } = await setup();
    const peer = await world.connect(serializerV2, token);
    await peer.push('{"not":"an array"}');
    expect(peer.transport.closed?.code).toBe(CLOSE_UNSUPPORTED_DATA);
  });

  test('leave unsubscribes; idle connections close after the heartbeat timeout', async () => {
    const { world, token } = await setup();
    const peer = await world.connect(serializerV2, token);
    await peer.push(v2('1', '1', 'realtime:room', 'phx_join', { config: { postgres_changes: [{ event: '*', schema: 'public' }] } }));
    await peer.push(v2('1', '2', 'realtime:room', 'phx_leave', {}));
    expect(world.registry.size).toBe(0);
    expect(peer.drain().at(-1)).toMatchObject({ ref: '2', event: 'phx_reply', payload: { status: 'ok' } });
    world.scheduler.advance(HEARTBEAT_TIMEOUT_MS - 1);
    expect(peer.transport.closed).toBeUndefined();
    world.scheduler.advance(1);
    expect(peer.transport.closed?.code).toBe(CLOSE_GOING_AWAY);
  });

  test('an expired access_token closes the channel with a system error; expiry while joined does too', async () => {
    const { world, token } = await setup();
    const peer = await world.connect(serializerV2, token);
    await peer.push(v2('1', '1', 'realtime:a', 'phx_join', { config: {} }));
    const expired = await signToken({ role: 'authenticated', sub: 'u' }, world.scheduler.now() - 1000);
    await peer.push(v2('1', '2', 'realtime:a', 'access_token', { access_token: expired }));
    expect(peer.drain().slice(1)).toEqual([
      { joinRef: '1', ref: null, topic: 'realtime:a', event: 'system', payload: { extension: 'system', status: 'error', message: 'Token has expired', channel: 'a' } },
      { joinRef: '1', ref: '1', topic: 'realtime:a', event: 'phx_close', payload: {} },
    ]);

    const shortLived = await signToken({ role: 'authenticated', sub: 'u' }, world.scheduler.now() + 5000);
    await peer.push(v2('2', '3', 'realtime:b', 'phx_join', { config: {}, access_token: shortLived }));
    peer.drain();
    await peer.push(v2(null, '4', 'phoenix', 'heartbeat', {}));
    world.scheduler.advance(5000);
    expect(peer.drain().map((message) => message.event)).toEqual(['phx_reply', 'system', 'phx_close']);
  });
});

describe('broadcast and presence', () => {
  test('binary kind 3 in, kind 4 out to others; self and ack honoured; v1 peers get JSON', async () => {
    const { world, token } = await setup();
    const [a, b, c] = [await world.connect(serializerV2, token), await world.connect(serializerV2, token), await world.connect(serializerV1, token)];
    await a.push(v2('1', '1', 'realtime:r', 'phx_join', { config: { broadcast: { self: true, ack: true } } }));
    await b.push(v2('1', '1', 'realtime:r', 'phx_join', { config: {} }));
    await c.push(JSON.stringify({ topic: 'realtime:r', event: 'phx_join', payload: { config: {} }, ref: '1', join_ref: '1' }));
    [a, b, c].forEach((peer) => peer.drain());

    // Build a kind-3 frame as realtime-js does.
    const enc = new TextEncoder();
    const parts = ['1', '2', 'realtime:r', 'move'].map((part) => enc.encode(part));
    const json = enc.encode(JSON.stringify({ x: 1 }));
    const frame = new Uint8Array([3, ...parts.map((part) => part.length), 0, 1, ...parts.flatMap((part) => [...part]), ...json]);
    await a.push(frame);

    const expectedKind4 = encodeUserBroadcast({ topic: 'realtime:r', event: 'move', body: { encoding: 'json', value: { x: 1 } } });
    const fromA = a.drain();
    expect(fromA[0]!.payload).toEqual(expectedKind4);
    expect(fromA[1]).toMatchObject({ event: 'phx_reply', ref: '2', payload: { status: 'ok' } });
    expect(b.drain().map((message) => message.payload)).toEqual([expectedKind4]);
    expect(c.drain()).toEqual([{ joinRef: null, ref: null, topic: 'realtime:r', event: 'broadcast', payload: { type: 'broadcast', event: 'move', payload: { x: 1 } } }]);
  });

  test('presence: state on join, diffs on track, update and disconnect', async () => {
    const { world, token } = await setup();
    const [a, b] = [await world.connect(serializerV2, token), await world.connect(serializerV2, token)];
    await a.push(v2('1', '1', 'realtime:p', 'phx_join', { config: { presence: { key: 'alice', enabled: true } } }));
    await a.push(v2('1', '2', 'realtime:p', 'presence', { type: 'presence', event: 'track', payload: { n: 1 } }));
    expect(a.drain().map((message) => message.event)).toEqual(['phx_reply', 'presence_state', 'presence_diff', 'phx_reply']);

    await b.push(v2('1', '1', 'realtime:p', 'phx_join', { config: { presence: { key: 'bob', enabled: true } } }));
    expect(b.drain()[1]).toMatchObject({ event: 'presence_state', payload: { alice: { metas: [{ n: 1, phx_ref: expect.any(String) }] } } });

    await a.push(v2('1', '3', 'realtime:p', 'presence', { type: 'presence', event: 'track', payload: { n: 2 } }));
    const [update] = b.drain();
    const diff = update!.payload as { joins: Record<string, { metas: Array<Record<string, unknown>> }>; leaves: Record<string, { metas: Array<Record<string, unknown>> }> };
    expect(diff.joins.alice!.metas[0]).toMatchObject({ n: 2, phx_ref_prev: diff.leaves.alice!.metas[0]!.phx_ref });

    a.session.handleClose();
    expect(b.drain()).toEqual([{ joinRef: null, ref: null, topic: 'realtime:p', event: 'presence_diff', payload: { joins: {}, leaves: { alice: { metas: [expect.objectContaining({ n: 2 })] } } } }]);
    expect(world.presence.state('realtime:p')).toEqual({});
  });
});
