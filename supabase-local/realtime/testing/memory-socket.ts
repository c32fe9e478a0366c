/**
 * Test doubles for protocol tests: an in-memory socket pair whose server→client queue the
 * test drains by hand, and a manual scheduler whose clock the test advances. No timers,
 * no network.
 */
import { SignJWT } from 'jose';
import { testJwtKeys } from '../../keys/testing/test-jwt-keys';
import { verifyProjectJwt } from '../../keys/verify-jwt';
import { SubscriptionRegistry } from '../postgres-changes/subscription-registry';
import { PresenceRegistry } from '../presence';
import type { PhoenixMessage, Serializer } from '../protocol/message';
import type { Scheduler } from '../scheduler';
import { SocketSession } from '../socket-session';
import { TopicRegistry } from '../topic-registry';
import type { Transport } from '../transport';

export class ManualScheduler implements Scheduler {
  private time = 1_700_000_000_000;
  private timers: Array<{ at: number; run: () => void; cancelled: boolean }> = [];

  now(): number {
    return this.time;
  }

  schedule(delayMs: number, run: () => void): () => void {
    const timer = { at: this.time + Math.max(0, delayMs), run, cancelled: false };
    this.timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  }

  advance(ms: number): void {
    this.time += ms;
    const due = this.timers.filter((timer) => !timer.cancelled && timer.at <= this.time).sort((a, b) => a.at - b.at);
    this.timers = this.timers.filter((timer) => !due.includes(timer) && !timer.cancelled);
    for (const timer of due) timer.run();
  }
}

/** The server's end of an in-memory socket; the test reads what it sent with `drain`. */
export class MemoryTransport implements Transport {
  readonly outbox: Array<string | Uint8Array> = [];
  closed: { code: number; reason: string } | undefined;

  send(data: string | Uint8Array): void {
    if (!this.closed) this.outbox.push(data);
  }

  close(code: number, reason: string): void {
    this.closed ??= { code, reason };
  }
}

export const TEST_SECRET = 'test-secret-test-secret-test-secret-0123';

export async function signToken(claims: Record<string, unknown>, expiresAt: number): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(Math.floor(expiresAt / 1000)).sign(new TextEncoder().encode(TEST_SECRET));
}

export type Peer = {
  session: SocketSession;
  transport: MemoryTransport;
  /** Sends a client frame (already encoded) and waits until the server handled it. */
  push(frame: string | Uint8Array): Promise<void>;
  /** Server frames sent since the last drain, decoded with the connection's serializer. */
  drain(): PhoenixMessage[];
};

export type World = { scheduler: ManualScheduler; topics: TopicRegistry; presence: PresenceRegistry; registry: SubscriptionRegistry; connect(serializer: Serializer, token: string): Promise<Peer> };

export function createWorld(): World {
  const scheduler = new ManualScheduler();
  const topics = new TopicRegistry();
  const presence = new PresenceRegistry(topics, 'ref');
  const registry = new SubscriptionRegistry();
  // Built once per world, as the stack builds its keys once; tokens here are HS256 with TEST_SECRET.
  const jwtKeys = testJwtKeys(TEST_SECRET);
  let connections = 0;
  let keys = 0;
  return {
    scheduler,
    topics,
    presence,
    registry,
    async connect(serializer, token) {
      const verifier = await jwtKeys;
      const verified = await verifyProjectJwt(token, verifier, new Date(scheduler.now()));
      if (!verified.ok) throw new Error(verified.message);
      const transport = new MemoryTransport();
      connections += 1;
      const session = new SocketSession({
        connectionId: `c${connections}`,
        transport,
        serializer,
        scheduler,
        socketAuth: { role: verified.claims.role, claims: verified.claims, token },
        verifyToken: (candidate) => verifyProjectJwt(candidate, verifier, new Date(scheduler.now())),
        topics,
        presence,
        postgresChanges: registry,
        newPresenceKey: () => `key-${(keys += 1)}`,
        log: () => {},
      });
      return {
        session,
        transport,
        async push(frame) {
          session.receive(frame, typeof frame !== 'string');
          await session.idle();
        },
        drain() {
          return transport.outbox.splice(0).map((data) => {
            if (typeof data !== 'string') return { joinRef: null, ref: null, topic: '', event: 'binary', payload: data };
            const decoded = serializer.decode(data, false);
            if (!decoded.ok) throw new Error(decoded.error);
            return decoded.message;
          });
        },
      };
    },
  };
}
