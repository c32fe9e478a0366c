/** `presence` from the client: `{type:"presence", event:"track", payload}` or `event:"untrack"`. */
import { z } from 'zod';

export const presencePushSchema = z.object({
  event: z.literal('presence'),
  topic: z.string(),
  payload: z.discriminatedUnion('event', [
    z.object({ type: z.literal('presence').optional(), event: z.literal('track'), payload: z.record(z.string(), z.unknown()).default({}) }),
    z.object({ type: z.literal('presence').optional(), event: z.literal('untrack') }),
  ]),
});
