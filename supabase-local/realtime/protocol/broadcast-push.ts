/** `broadcast` from the client: `{type:"broadcast", event, payload}` (JSON, or binary kind 3). */
import { z } from 'zod';

export const broadcastPushSchema = z.object({
  event: z.literal('broadcast'),
  topic: z.string(),
  payload: z.object({ type: z.literal('broadcast').optional(), event: z.string(), payload: z.unknown() }).passthrough(),
});
