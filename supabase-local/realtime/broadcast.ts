/**
 * Broadcast fan-out: a message pushed on a topic goes to every channel joined to it,
 * excluding the sender unless it joined with `broadcast.self`. Used by socket pushes and
 * by `POST /realtime/v1/api/broadcast`.
 */
import type { UserBroadcast } from './protocol/message';
import { userBroadcast } from './protocol/outbound';
import type { ChannelMember, TopicRegistry } from './topic-registry';

export function fanOutBroadcast(topics: TopicRegistry, broadcast: UserBroadcast, sender?: ChannelMember): number {
  let delivered = 0;
  const frame = userBroadcast(broadcast);
  for (const member of topics.members(broadcast.topic)) {
    if (member === sender && !member.broadcastSelf) continue;
    member.send(frame);
    delivered += 1;
  }
  return delivered;
}
