/**
 * Reads a JSON request body and parses it with a zod schema. A body that is not JSON is
 * GoTrue's 400 `bad_json`; a field of the wrong type is 400 `validation_failed`.
 */
import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import { BodyTooLargeError, readBody } from '../http/json-response';
import { badRequest } from './auth-errors';

// Auth bodies are a few small fields; 1 MiB is far above any real one.
const MAX_AUTH_BODY_BYTES = 1024 * 1024;

export async function readJsonBody<T extends z.ZodType>(req: IncomingMessage, schema: T): Promise<z.infer<T>> {
  let text: string;
  try {
    text = await readBody(req, MAX_AUTH_BODY_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw badRequest('validation_failed', error.message);
    throw error;
  }
  let json: unknown;
  try {
    json = text.trim() === '' ? {} : JSON.parse(text);
  } catch (error) {
    throw badRequest('bad_json', `Could not parse request body as JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    throw badRequest('bad_json', `Could not parse request body as JSON: ${where}${issue?.message ?? 'invalid body'}`);
  }
  return parsed.data;
}
