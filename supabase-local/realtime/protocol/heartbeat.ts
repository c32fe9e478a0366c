/** `phoenix`/`heartbeat`: the client's 25 s keep-alive; answered with `phx_reply ok`. */
import { z } from 'zod';

export const PHOENIX_TOPIC = 'phoenix';

export const heartbeatSchema = z.object({
  event: z.literal('heartbeat'),
  topic: z.literal(PHOENIX_TOPIC),
  payload: z.unknown(),
});
