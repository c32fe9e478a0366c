/** Reads the request's schema profile and the response media type it accepts. */
import type { IncomingHttpHeaders } from 'node:http';
import { RestError } from '../rest-error';

export const EXPOSED_SCHEMAS = ['public'] as const;

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** `Accept-Profile` for GET/HEAD, `Content-Profile` otherwise; only exposed schemas pass. */
export function requestSchema(headers: IncomingHttpHeaders, method: string): string {
  const name = method === 'GET' || method === 'HEAD' ? 'accept-profile' : 'content-profile';
  const schema = header(headers, name)?.trim();
  if (schema === undefined || schema === '') return EXPOSED_SCHEMAS[0];
  if (!(EXPOSED_SCHEMAS as readonly string[]).includes(schema)) {
    throw new RestError(406, 'PGRST106', 'Invalid schema: ' + schema, null, `Only the following schemas are exposed: ${EXPOSED_SCHEMAS.join(', ')}`);
  }
  return schema;
}

export type ResponseMedia = { singleObject: boolean; stripNulls: boolean };

export function responseMedia(headers: IncomingHttpHeaders): ResponseMedia {
  const accept = (header(headers, 'accept') ?? '').toLowerCase();
  const singleObject = accept.includes('application/vnd.pgrst.object');
  const stripNulls = /nulls=stripped/.test(accept);
  if (accept.includes('text/csv') || accept.includes('application/geo+json') || accept.includes('application/vnd.pgrst.plan')) {
    throw new RestError(406, 'PGRST107', `None of these media types are available: ${accept}`);
  }
  return { singleObject, stripNulls };
}
