/**
 * The parts of supabase/config.toml the local stack shares with the Supabase CLI.
 * Parsed with zod so a typo in the file is a clear start-up error, not a silent default.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseToml } from 'smol-toml';
import { z } from 'zod';

const projectConfigSchema = z.object({
  project_id: z.string().min(1),
  api: z
    .object({
      port: z.number().int().default(54321),
      schemas: z.array(z.string()).default(['public']),
      extra_search_path: z.array(z.string()).default(['public', 'extensions']),
      max_rows: z.number().int().positive().default(1000),
    })
    .prefault({}),
  db: z.object({ port: z.number().int().default(54322) }).prefault({}),
  auth: z
    .object({
      site_url: z.string().default('http://127.0.0.1:3000'),
      jwt_expiry: z.number().int().positive().default(3600),
      enable_refresh_token_rotation: z.boolean().default(true),
      refresh_token_reuse_interval: z.number().int().nonnegative().default(10),
      enable_signup: z.boolean().default(true),
    })
    .prefault({}),
});

export type ProjectConfig = z.infer<typeof projectConfigSchema>;

export async function loadProjectConfig(path: string): Promise<ProjectConfig> {
  const text = await readFile(path, 'utf8');
  const result = projectConfigSchema.safeParse(parseToml(text));
  if (!result.success) {
    throw new Error(`${path}: ${z.prettifyError(result.error)}`);
  }
  return result.data;
}
