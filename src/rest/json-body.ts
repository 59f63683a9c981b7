import type { IncomingMessage } from 'node:http';
import { readBodyText } from '../http/body.js';
import { json, type Reply } from './responses.js';

/** Either what a step yields, or the answer that ends the request. */
export type Step<T> = { ok: true; value: T } | { ok: false; reply: Reply };

/** The request's body as a JSON object (an empty body counts as `{}`), or its 400/413 answer. */
export async function readJsonObject(request: IncomingMessage, maxBytes: number): Promise<Step<Record<string, unknown>>> {
  const refuse = (status: number, message: string) => ({ ok: false as const, reply: json({ message }, status) });
  const text = await readBodyText(request, request.headers['content-length'], maxBytes);
  if (text === null) return refuse(413, `The request body must not be larger than ${maxBytes / 1024} KB.`);
  if (text.trim() === '') return { ok: true, value: {} };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return refuse(400, 'The request body must be valid JSON.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return refuse(400, 'The request body must be a JSON object.');
  }
  return { ok: true, value: body as Record<string, unknown> };
}
