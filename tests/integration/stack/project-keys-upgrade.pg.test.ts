/**
 * A data folder from before JWT signing keys: its project-keys.json has only the JWT secret,
 * API keys and authenticator password. Starting the stack on it keeps all of those (so
 * existing clients and tokens keep working), adds an ES256 signing key, publishes it and
 * signs new sessions with it, and leaves the file readable by its owner only.
 */
import { randomBytes } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createClient } from '@supabase/supabase-js';
import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PROJECT_ROOT, makeTempDataDir, removeDataDir, startStackProcess } from '../../support/stack-process';

const stackMigrations = resolve(PROJECT_ROOT, 'tests/fixtures/stack-migrations');
const TEN_YEARS_S = 10 * 365 * 24 * 3600;

const upgradedFileSchema = z.object({
  jwtSecret: z.string(),
  anonKey: z.string(),
  serviceRoleKey: z.string(),
  authenticatorPassword: z.string(),
  signingKey: z.object({ kty: z.literal('EC'), alg: z.literal('ES256'), kid: z.string().uuid(), d: z.string() }),
});
const jwksSchema = z.object({ keys: z.array(z.object({ kid: z.string() }).passthrough()) });

async function legacyApiKey(role: 'anon' | 'service_role', secret: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role, iss: 'supabase-local' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt(now)
    .setExpirationTime(now + TEN_YEARS_S)
    .sign(new TextEncoder().encode(secret));
}

const dataDirs: string[] = [];
afterAll(async () => {
  for (const dir of dataDirs) await removeDataDir(dir);
});

describe('project-keys.json from before signing keys', () => {
  it('keeps its secret and API keys, adds a published ES256 key, and new sessions use it', async () => {
    const dataDir = await makeTempDataDir('keys-upgrade');
    dataDirs.push(dataDir);
    const jwtSecret = randomBytes(48).toString('base64url');
    const legacy = {
      jwtSecret,
      anonKey: await legacyApiKey('anon', jwtSecret),
      serviceRoleKey: await legacyApiKey('service_role', jwtSecret),
      authenticatorPassword: randomBytes(24).toString('base64url'),
    };
    const keysPath = join(dataDir, 'project-keys.json');
    await writeFile(keysPath, JSON.stringify(legacy, null, 2) + '\n', { mode: 0o600 });

    const running = await startStackProcess({ dataDir, migrations: stackMigrations });
    try {
      expect(running.info).toMatchObject({ jwtSecret, anonKey: legacy.anonKey, serviceRoleKey: legacy.serviceRoleKey });
      const stored = upgradedFileSchema.parse(JSON.parse(await readFile(keysPath, 'utf8')));
      expect(stored).toMatchObject(legacy);
      expect((await stat(keysPath)).mode & 0o777).toBe(0o600);
      expect((await readdir(dataDir)).filter((name) => name.startsWith('project-keys'))).toEqual(['project-keys.json']);
      expect(running.logs.join('\n')).toContain(`added an ES256 signing key (kid ${stored.signingKey.kid})`);

      const jwks = jwksSchema.parse(await (await fetch(`${running.info.apiUrl}/auth/v1/.well-known/jwks.json`)).json());
      expect(jwks.keys.map((key) => key.kid)).toEqual([stored.signingKey.kid]);
      expect(jwks.keys[0]).not.toHaveProperty('d');

      // The old anon key still signs users up; their session is ES256 under the new key.
      const client = createClient(running.info.apiUrl, legacy.anonKey, { auth: { persistSession: false, autoRefreshToken: false } });
      const { data, error } = await client.auth.signUp({ email: `upgrade-${Date.now()}@example.test`, password: 'correct horse battery' });
      expect(error).toBeNull();
      expect(decodeProtectedHeader(data.session!.access_token)).toEqual({ alg: 'ES256', kid: stored.signingKey.kid, typ: 'JWT' });

      // A token signed with the old secret, as the stack issued before the upgrade, is still accepted.
      const before = await new SignJWT({ ...decodeJwt(data.session!.access_token) })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .sign(new TextEncoder().encode(jwtSecret));
      const user = await client.auth.getUser(before);
      expect(user.error).toBeNull();
      expect(user.data.user?.id).toBe(data.user!.id);
    } finally {
      expect(await running.stop()).toBe(0);
    }
  });
});
