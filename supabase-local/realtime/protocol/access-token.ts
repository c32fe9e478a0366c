/** `access_token`: a joined channel's new JWT (realtime-js `setAuth`). No reply on success. */
import { z } from 'zod';

export const accessTokenSchema = z.object({
  event: z.literal('access_token'),
  topic: z.string(),
  payload: z.object({ access_token: z.string().nullish() }).passthrough(),
});
