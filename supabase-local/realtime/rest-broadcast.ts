/**
 * `POST /realtime/v1/api/broadcast` (`{messages:[{topic, event, payload, private?}]}`,
 * realtime-js's REST fallback) and `POST /realtime/v1/api/broadcast/<topic>/events/<event>`
 * (`httpSend`): authorised like any API request, then fanned out to the topic's channels.
 */
import { z } from 'zod';
import type { GatewayRequest } from '../http/gateway-service';
import { BodyTooLargeError, readBody, sendJson } from '../http/json-response';
import type { JwtKeys } from '../keys/jwt-keys';
import { resolveRequestRole } from '../http/request-role';
import { fanOutBroadcast } from './broadcast';
import type { TopicRegistry } from './topic-registry';

const batchSchema = z.object({
  messages: z.array(z.object({ topic: z.string().min(1), event: z.string().min(1), payload: z.unknown().optional(), private: z.boolean().optional() })).min(1),
});

const SINGLE_PATH = /^\/api\/broadcast\/([^/]+)\/events\/([^/]+)$/;

export async function handleRestBroadcast(request: GatewayRequest, jwtKeys: JwtKeys, topics: TopicRegistry): Promise<boolean> {
  const { req, res, path, url } = request;
  const single = SINGLE_PATH.exec(path);
  if (path !== '/api/broadcast' && !single) return false;
  if (req.method !== 'POST') {
    sendJson(res, 405, { error: 'method not allowed' });
    return true;
  }
  const role = await resolveRequestRole(req.headers, url, jwtKeys);
  if (!role.ok) {
    sendJson(res, role.error.status, { error: role.error.message });
    return true;
  }
  let text: string;
  try {
    text = await readBody(req);
  } catch (error) {
    sendJson(res, error instanceof BodyTooLargeError ? 413 : 400, { error: 'could not read body' });
    return true;
  }
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    sendJson(res, 400, { error: 'body is not JSON' });
    return true;
  }
  if (single) {
    if (url.searchParams.get('private') === 'true') {
      sendJson(res, 400, { error: 'private channels are not supported by the local stack' });
      return true;
    }
    const [topic, event] = [decodeURIComponent(single[1] ?? ''), decodeURIComponent(single[2] ?? '')];
    fanOutBroadcast(topics, { topic: `realtime:${topic}`, event, body: { encoding: 'json', value: json ?? {} } });
    sendJson(res, 202, undefined);
    return true;
  }
  const parsed = batchSchema.safeParse(json);
  if (!parsed.success) {
    sendJson(res, 400, { error: 'expected {messages: [{topic, event, payload}]}' });
    return true;
  }
  for (const message of parsed.data.messages) {
    if (message.private) continue;
    fanOutBroadcast(topics, { topic: `realtime:${message.topic}`, event: message.event, body: { encoding: 'json', value: message.payload ?? {} } });
  }
  sendJson(res, 202, undefined);
  return true;
}
