/**
 * The API-gateway check Kong makes before a request reaches GoTrue: an `apikey` header
 * (or query parameter) holding one of the project's keys or a JWT signed with its keys.
 * Failures are Kong's 401 `{message}`, not GoTrue errors.
 */
import type { IncomingMessage } from 'node:http';
import type { JwtKeys } from '../keys/jwt-keys';
import type { ProjectKeys } from '../keys/project-keys';
import { verifyProjectJwt } from '../keys/verify-jwt';

export type ApikeyCheck = { ok: true } | { ok: false; message: string };

export async function checkApikey(req: IncomingMessage, url: URL, keys: ProjectKeys, jwtKeys: JwtKeys): Promise<ApikeyCheck> {
  const header = req.headers.apikey;
  const apikey = (Array.isArray(header) ? header[0] : header) ?? url.searchParams.get('apikey');
  if (!apikey) return { ok: false, message: 'No API key found in request' };
  if (apikey === keys.anonKey || apikey === keys.serviceRoleKey) return { ok: true };
  const verified = await verifyProjectJwt(apikey, jwtKeys);
  return verified.ok ? { ok: true } : { ok: false, message: 'Invalid API key' };
}
