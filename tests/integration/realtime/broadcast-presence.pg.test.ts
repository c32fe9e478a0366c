/**
 * Broadcast (self, ack, binary and JSON frames, REST) and presence between two clients
 * (join, sync, leave on disconnect), through supabase-js.
 */
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { closeAllClients, closeDb, Collector, makeClient, stack, subscribed, uniqueName, type Vsn } from './realtime-kit';

type Message = { event: string; payload: Record<string, unknown>; type: string };

afterEach(closeAllClients);
afterAll(closeDb);

describe.each(['2.0.0', '1.0.0'] as const)('broadcast over vsn %s', (vsn: Vsn) => {
  test('reaches others, not the sender unless self; ack resolves after the server saw it', async () => {
    const room = uniqueName('room');
    const [alice, bob] = [await makeClient({ vsn }), await makeClient({ vsn })];
    const [toAlice, toBob] = [new Collector<Message>(), new Collector<Message>()];
    const a = await subscribed(alice.channel(room, { config: { broadcast: { self: false, ack: true } } }).on('broadcast', { event: 'move' }, toAlice.push));
    const b = await subscribed(bob.channel(room, { config: { broadcast: { self: true } } }).on('broadcast', { event: '*' }, toBob.push));

    expect(await a.send({ type: 'broadcast', event: 'move', payload: { x: 1, name: 'é🎉' } })).toBe('ok');
    await toBob.waitForCount(1);
    expect(toBob.items[0]).toEqual({ type: 'broadcast', event: 'move', payload: { x: 1, name: 'é🎉' } });

    expect(await b.send({ type: 'broadcast', event: 'move', payload: { x: 2 } })).toBe('ok');
    await toAlice.waitForCount(1);
    await toBob.waitForCount(2);
    expect(toAlice.items.map((message) => message.payload)).toEqual([{ x: 2 }]);
    expect(toBob.items.map((message) => message.payload)).toEqual([{ x: 1, name: 'é🎉' }, { x: 2 }]);
  });
});

describe('REST broadcast', () => {
  test('POST /realtime/v1/api/broadcast and httpSend reach subscribers', async () => {
    const room = uniqueName('rest');
    const listener = await makeClient();
    const received = new Collector<Message>();
    await subscribed(listener.channel(room).on('broadcast', { event: 'note' }, received.push));

    const response = await fetch(`${stack().apiUrl}/realtime/v1/api/broadcast`, {
      method: 'POST',
      headers: { apikey: stack().serviceRoleKey, 'Content-Type': 'application/json' },
      body: JSON.stringify({ messages: [{ topic: room, event: 'note', payload: { via: 'rest' } }] }),
    });
    expect(response.status).toBe(202);
    await received.waitForCount(1);

    const sender = await makeClient();
    await expect(sender.channel(room).httpSend('note', { via: 'httpSend' })).resolves.toEqual({ success: true });
    await received.waitForCount(2);
    expect(received.items.map((message) => message.payload)).toEqual([{ via: 'rest' }, { via: 'httpSend' }]);

    const refused = await fetch(`${stack().apiUrl}/realtime/v1/api/broadcast`, { method: 'POST', body: '{}' });
    expect(refused.status).toBe(401);
  });
});

describe('presence', () => {
  test('join, sync and leave on disconnect between two clients', async () => {
    const room = uniqueName('presence');
    const [alice, bob] = [await makeClient(), await makeClient()];
    const aliceEvents = new Collector<{ event: string; key?: string }>();
    const aliceChannel = alice
      .channel(room, { config: { presence: { key: 'alice' } } })
      .on('presence', { event: 'sync' }, () => aliceEvents.push({ event: 'sync' }))
      .on('presence', { event: 'join' }, ({ key }) => aliceEvents.push({ event: 'join', key }))
      .on('presence', { event: 'leave' }, ({ key }) => aliceEvents.push({ event: 'leave', key }));
    await subscribed(aliceChannel);
    expect(await aliceChannel.track({ name: 'Alice' })).toBe('ok');
    await aliceEvents.waitFor((items) => items.some((item) => item.event === 'join' && item.key === 'alice'));

    const bobChannel = bob.channel(room, { config: { presence: { key: 'bob' } } }).on('presence', { event: 'sync' }, () => {});
    await subscribed(bobChannel);
    await bobChannel.track({ name: 'Bob' });
    await aliceEvents.waitFor((items) => items.some((item) => item.event === 'join' && item.key === 'bob'));
    await expect.poll(() => Object.keys(bobChannel.presenceState()).sort()).toEqual(['alice', 'bob']);
    expect(aliceChannel.presenceState()).toMatchObject({
      alice: [{ name: 'Alice', presence_ref: expect.any(String) }],
      bob: [{ name: 'Bob', presence_ref: expect.any(String) }],
    });

    await bob.realtime.disconnect();
    await aliceEvents.waitFor((items) => items.some((item) => item.event === 'leave' && item.key === 'bob'));
    await expect.poll(() => Object.keys(aliceChannel.presenceState())).toEqual(['alice']);
  });
});
