/**
 * Per-data-folder project secrets: the JWT secret and the anon / service_role API keys
 * signed with it (HS256, like a hosted project's legacy API keys), and the ES256 signing key
 * that signs user sessions (like a hosted project's JWT signing keys). Generated on first
 * start (never a published demo secret) and kept in the data folder, so a restarted stack
 * keeps issuing tokens its clients still accept. A file written before the signing key
 * existed is upgraded in place: its secret and API keys stay, so clients keep working.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { z } from 'zod';
import { generateSigningJwk, signingJwkSchema } from './signing-key';

export const API_KEY_ISSUER = 'supabase-local';
export const PROJECT_KEYS_FILE = 'project-keys.json';
// API keys are long-lived like a hosted project's: ten years, in seconds.
const API_KEY_LIFETIME_S = 10 * 365 * 24 * 3600;
// Owner read/write only: the file holds the JWT secret and the private signing key.
const KEYS_FILE_MODE = 0o600;

const legacyKeysSchema = z.object({
  jwtSecret: z.string().min(32),
  anonKey: z.string().min(1),
  serviceRoleKey: z.string().min(1),
  // Password of the `authenticator` login role the gateway connects as.
  authenticatorPassword: z.string().min(16),
});

const keysFileSchema = legacyKeysSchema.extend({ signingKey: signingJwkSchema });
// What may be on disk: the current shape, or one from before the signing key.
const storedKeysSchema = legacyKeysSchema.extend({ signingKey: signingJwkSchema.optional() });

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

async function newProjectKeys(): Promise<ProjectKeys> {
  const jwtSecret = randomBytes(48).toString('base64url');
  return {
    jwtSecret,
    anonKey: await signApiKey('anon', jwtSecret),
    serviceRoleKey: await signApiKey('service_role', jwtSecret),
    authenticatorPassword: randomBytes(24).toString('base64url'),
    signingKey: await generateSigningJwk(),
  };
}

async function readStoredKeys(path: string): Promise<z.infer<typeof storedKeysSchema> | undefined> {
  try {
    return storedKeysSchema.parse(JSON.parse(await readFile(path, 'utf8')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Write-then-rename, so a crash mid-write never leaves a file without the secret it had. */
async function writeKeysFile(path: string, keys: ProjectKeys): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(keys, null, 2) + '\n', { mode: KEYS_FILE_MODE });
  await rename(temporary, path);
}

export async function loadOrCreateProjectKeys(dataDir: string, log: (line: string) => void = () => {}): Promise<ProjectKeys> {
  const path = join(dataDir, PROJECT_KEYS_FILE);
  const stored = await readStoredKeys(path);
  if (stored?.signingKey) return { ...stored, signingKey: stored.signingKey };
  const keys: ProjectKeys = stored ? { ...stored, signingKey: await generateSigningJwk() } : await newProjectKeys();
  await mkdir(dataDir, { recursive: true });
  await writeKeysFile(path, keys);
  if (stored) log(`${PROJECT_KEYS_FILE}: added an ES256 signing key (kid ${keys.signingKey.kid}); the JWT secret and API keys are unchanged`);
  return keys;
}
