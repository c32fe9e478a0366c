/**
 * Which channels are joined to which topic, across every connection: the fan-out table
 * that broadcast and presence use (Phoenix.PubSub's role in the real server).
 */
import type { OutboundFrame } from './protocol/message';

export interface ChannelMember {
  /** Unique per join (connection id + join ref). */
  readonly id: string;
  readonly topic: string;
  readonly broadcastSelf: boolean;
  readonly presenceEnabled: boolean;
  send(frame: OutboundFrame): void;
}

export class TopicRegistry {
  private readonly byTopic = new Map<string, Set<ChannelMember>>();

  add(member: ChannelMember): void {
    let members = this.byTopic.get(member.topic);
    if (!members) this.byTopic.set(member.topic, (members = new Set()));
    members.add(member);
  }

  remove(member: ChannelMember): void {
    const members = this.byTopic.get(member.topic);
    if (!members) return;
    members.delete(member);
    if (members.size === 0) this.byTopic.delete(member.topic);
  }

  members(topic: string): ReadonlySet<ChannelMember> {
    return this.byTopic.get(topic) ?? new Set();
  }
}
