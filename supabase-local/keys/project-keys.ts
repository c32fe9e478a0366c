/**
 * Per-data-folder project secrets: the JWT secret and the anon / service_role API keys
 * signed with it. Generated on first start (never a published demo secret) and kept in
 * the data folder, so a restarted stack keeps issuing tokens its clients still accept.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { z } from 'zod';

export const API_KEY_ISSUER = 'supabase-local';
// API keys are long-lived like a hosted project's: ten years, in seconds.
const API_KEY_LIFETIME_S = 10 * 365 * 24 * 3600;

const keysFileSchema = z.object({
  jwtSecret: z.string().min(32),
  anonKey: z.string().min(1),
  serviceRoleKey: z.string().min(1),
  // Password of the `authenticator` login role the gateway connects as.
  authenticatorPassword: z.string().min(16),
});

export type ProjectKeys = z.infer<typeof keysFileSchema>;

export function jwtSecretBytes(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

async function signApiKey(role: 'anon' | 'service_role', secret: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role, iss: API_KEY_ISSUER })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt(now)
    .setExpirationTime(now + API_KEY_LIFETIME_S)
    .sign(jwtSecretBytes(secret));
}

export async function loadOrCreateProjectKeys(dataDir: string): Promise<ProjectKeys> {
  const path = join(dataDir, 'project-keys.json');
  try {
    return keysFileSchema.parse(JSON.parse(await readFile(path, 'utf8')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const jwtSecret = randomBytes(48).toString('base64url');
  const keys: ProjectKeys = {
    jwtSecret,
    anonKey: await signApiKey('anon', jwtSecret),
    serviceRoleKey: await signApiKey('service_role', jwtSecret),
    authenticatorPassword: randomBytes(24).toString('base64url'),
  };
  await mkdir(dataDir, { recursive: true });
  await writeFile(path, JSON.stringify(keys, null, 2) + '\n', { mode: 0o600 });
  return keys;
}
