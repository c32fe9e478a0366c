/**
 * Server environment, parsed once per call with zod. Read at request time (never inlined at
 * build time), so one `next build` runs against any stack — the local one on whatever port
 * a test picked, or a hosted Supabase project — by env vars alone.
 */
import { z } from 'zod';

const serverEnvSchema = z.object({
  SUPABASE_URL: z.url({ message: 'SUPABASE_URL must be the API URL, e.g. http://127.0.0.1:54321' }),
  SUPABASE_ANON_KEY: z.string().min(1, 'SUPABASE_ANON_KEY is required'),
  SUPABASE_SERVICE_ROLE_KEY: z.string().min(1).optional(),
});

export type ServerEnv = z.infer<typeof serverEnvSchema>;

/** What the browser may know: the API URL and the anon key (both public by design). */
export type PublicSupabaseConfig = { url: string; anonKey: string };

export function serverEnv(): ServerEnv {
  const parsed = serverEnvSchema.safeParse({
    SUPABASE_URL: process.env.SUPABASE_URL,
    SUPABASE_ANON_KEY: process.env.SUPABASE_ANON_KEY,
    SUPABASE_SERVICE_ROLE_KEY: process.env.SUPABASE_SERVICE_ROLE_KEY || undefined,
  });
  if (!parsed.success) {
    throw new Error(`invalid server environment (see .env.local or README):\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

export function publicSupabaseConfig(): PublicSupabaseConfig {
  const env = serverEnv();
  return { url: env.SUPABASE_URL, anonKey: env.SUPABASE_ANON_KEY };
}
