/**
 * The websocket handshake check hosted Realtime makes (user_socket.ex): the `apikey`
 * (query parameter, or `x-api-key` header) must be a project JWT with `role` and `exp`;
 * `vsn` must be a serializer we speak. Refusals are plain HTTP responses with JSON
 * `{error}`.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { JwtKeys } from '../keys/jwt-keys';
import { verifyProjectJwt } from '../keys/verify-jwt';
import type { ChannelAuth } from './channel-auth';
import type { Serializer } from './protocol/message';
import { serializerFor } from './protocol/serializers';

export type UpgradeAuth = { ok: true; auth: ChannelAuth; serializer: Serializer } | { ok: false; status: 400 | 401; message: string };

export async function authenticateUpgrade(req: IncomingMessage, jwtKeys: JwtKeys, now: Date = new Date()): Promise<UpgradeAuth> {
  const url = new URL(req.url ?? '/', 'http://gateway.local');
  const serializer = serializerFor(url.searchParams.get('vsn'));
  if (!serializer) return { ok: false, status: 400, message: `Unsupported vsn ${url.searchParams.get('vsn')}` };
  const header = req.headers['x-api-key'];
  const token = (Array.isArray(header) ? header[0] : header) ?? url.searchParams.get('apikey');
  if (!token) return { ok: false, status: 401, message: 'API key is missing' };
  const verified = await verifyProjectJwt(token, jwtKeys, now);
  if (!verified.ok) {
    const message =
      verified.reason === 'expired' ? 'Token has expired' : verified.reason === 'missing_claims' ? verified.message : 'The token provided is not a valid JWT';
    return { ok: false, status: 401, message };
  }
  return { ok: true, auth: { role: verified.claims.role, claims: verified.claims, token }, serializer };
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' };

export function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ error: message });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
