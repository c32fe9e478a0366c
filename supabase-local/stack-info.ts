/**
 * The local stack's announcement: the one JSON line `npm run stack` prints first. Everything
 * that starts the stack as a child (npm start, the e2e setup, test projects) parses it here.
 */
import { z } from 'zod';

export const stackInfoSchema = z.object({
  apiUrl: z.string().url(),
  dbUrl: z.string(),
  anonKey: z.string(),
  serviceRoleKey: z.string(),
  jwtSecret: z.string(),
});
export type StackInfo = z.infer<typeof stackInfoSchema>;
