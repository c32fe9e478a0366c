/** `phx_leave`: the client leaves a channel; the server replies ok, then `phx_close`. */
import { z } from 'zod';

export const phxLeaveSchema = z.object({ event: z.literal('phx_leave'), topic: z.string(), payload: z.unknown() });
