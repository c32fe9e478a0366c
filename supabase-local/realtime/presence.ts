/**
 * Presence per topic, as Phoenix.Presence shapes it: each channel tracks at most one meta
 * under its key; every change reaches presence-enabled members as `presence_diff`
 * `{joins, leaves}`, and a joining member gets `presence_state`. Each meta carries a fresh
 * `phx_ref` (and `phx_ref_prev` on updates) so the client's sync logic stays consistent.
 */
import { presenceDiff, type PresenceEntries, type PresenceMeta } from './protocol/outbound';
import type { ChannelMember, TopicRegistry } from './topic-registry';

type Tracked = { key: string; meta: PresenceMeta };

export class PresenceRegistry {
  private readonly byTopic = new Map<string, Map<ChannelMember, Tracked>>();
  private refCounter = 0;

  constructor(
    private readonly topics: TopicRegistry,
    private readonly refPrefix: string = Math.random().toString(36).slice(2, 10),
  ) {}

  private nextRef(): string {
    this.refCounter += 1;
    return `${this.refPrefix}${this.refCounter.toString(36)}`;
  }

  state(topic: string): PresenceEntries {
    const entries: PresenceEntries = {};
    for (const { key, meta } of this.byTopic.get(topic)?.values() ?? []) {
      (entries[key] ??= { metas: [] }).metas.push(meta);
    }
    return entries;
  }

  track(member: ChannelMember, key: string, payload: Record<string, unknown>): void {
    let tracked = this.byTopic.get(member.topic);
    if (!tracked) this.byTopic.set(member.topic, (tracked = new Map()));
    const previous = tracked.get(member);
    const meta: PresenceMeta = { ...payload, phx_ref: this.nextRef(), ...(previous ? { phx_ref_prev: previous.meta.phx_ref } : {}) };
    tracked.set(member, { key, meta });
    const leaves: PresenceEntries = previous ? { [previous.key]: { metas: [previous.meta] } } : {};
    this.publish(member.topic, { joins: { [key]: { metas: [meta] } }, leaves });
  }

  untrack(member: ChannelMember): void {
    const tracked = this.byTopic.get(member.topic);
    const previous = tracked?.get(member);
    if (!tracked || !previous) return;
    tracked.delete(member);
    if (tracked.size === 0) this.byTopic.delete(member.topic);
    this.publish(member.topic, { joins: {}, leaves: { [previous.key]: { metas: [previous.meta] } } });
  }

  private publish(topic: string, diff: { joins: PresenceEntries; leaves: PresenceEntries }): void {
    const frame = presenceDiff(topic, diff);
    for (const member of this.topics.members(topic)) if (member.presenceEnabled) member.send(frame);
  }
}
