import { describe, expect, it } from 'vitest';
import type { PgSubscriber } from './hub';
import { SubscriptionRegistry } from './subscription-registry';

function subscriber(id: string): PgSubscriber {
  return { id, topic: `realtime:${id}`, auth: () => ({ role: 'authenticated', claims: { role: 'authenticated', exp: 0 }, token: '' }), send: () => undefined };
}

describe('SubscriptionRegistry.wants (what the replication stream keeps)', () => {
  it('wants nothing while nobody subscribes', () => {
    expect(new SubscriptionRegistry().wants('public', 'feedback', 'INSERT')).toBe(false);
  });

  it('matches schema, table and event; row filters do not narrow it', () => {
    const registry = new SubscriptionRegistry();
    registry.subscribe(subscriber('a'), [{ event: 'UPDATE', schema: 'public', table: 'feedback', filter: 'pupil_id=eq.1' }]);
    expect(registry.wants('public', 'feedback', 'UPDATE')).toBe(true);
    expect(registry.wants('public', 'feedback', 'INSERT')).toBe(false);
    expect(registry.wants('public', 'report_pupil_summary', 'UPDATE')).toBe(false);
    expect(registry.wants('private', 'feedback', 'UPDATE')).toBe(false);
  });

  it('a whole-schema "*" subscription wants every table and event of its schema, until it leaves', () => {
    const registry = new SubscriptionRegistry();
    registry.subscribe(subscriber('b'), [{ event: '*', schema: 'public' }]);
    expect(registry.wants('public', 'report_pupil_feedback_cache', 'DELETE')).toBe(true);
    registry.unsubscribe('b');
    expect(registry.wants('public', 'report_pupil_feedback_cache', 'DELETE')).toBe(false);
  });
});
