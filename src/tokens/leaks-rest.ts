import type { IncomingMessage } from 'node:http';
import type { RequestOrigin } from '../audit/audit-log.js';
import { readJsonObject } from '../rest/json-body.js';
import { json, type Reply } from '../rest/responses.js';
import { tooManyRequests } from '../security/abuse.js';
import { RateLimitedError, type RateLimits } from '../security/rate-limits.js';
import { messages, validationFailed, type ValidationErrors } from '../rest/validation.js';
import { revokeLeakedTokens } from './leaks.js';

/**
 * `POST /api/v2/tokens/revoke` (no authentication): see leaks.ts. Every accepted report answers
 * `202 {"message": "Accepted."}`, whatever it held. Each request counts against its client address,
 * whatever it holds (bad bodies too), so that nobody floods the endpoint; the body is read before
 * any answer, a 429 included, so that the client reads it (see http/body.ts).
 */

export const LEAK_REPORT_PATH = '/api/v2/tokens/revoke';

/** 1000 tokens of at most 91 characters (id, pipe, 32-character prefix, 48), quoted, fit with room to spare. */
export const MAX_LEAK_REPORT_BYTES = 128 * 1024;

const ACCEPTED = json({ message: 'Accepted.' }, 202);

export const MAX_CREDENTIALS_PER_REPORT = 1000;

export type LeakReport = { ok: true; credentials: string[] } | { ok: false; errors: ValidationErrors };

/** `{"credentials": [1 to 1000 strings]}`, with Laravel's rules and wording (required|array|max:1000, each a string). */
export function validateLeakReport(body: Readonly<Record<string, unknown>>): LeakReport {
  const credentials = body.credentials;
  const errors: ValidationErrors = {};
  if (credentials === undefined || credentials === null || (Array.isArray(credentials) && credentials.length === 0)) {
    errors.credentials = [messages.required('credentials')];
  } else if (!Array.isArray(credentials)) {
    errors.credentials = [messages.array('credentials')];
  } else if (credentials.length > MAX_CREDENTIALS_PER_REPORT) {
    errors.credentials = [messages.maxItems('credentials', MAX_CREDENTIALS_PER_REPORT)];
  } else {
    credentials.forEach((value: unknown, index) => {
      if (typeof value !== 'string') errors[`credentials.${index}`] = [messages.string(`credentials.${index}`)];
    });
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, credentials: credentials as string[] };
}

export async function reportLeakedTokens(
  request: IncomingMessage,
  limits: RateLimits,
  address: string | null,
  origin: RequestOrigin,
): Promise<Reply> {
  const limited = await limits.leakReportAttempt(address).then(
    () => null,
    (error: unknown) => {
      if (error instanceof RateLimitedError) return error;
      throw error;
    },
  );
  const body = await readJsonObject(request, MAX_LEAK_REPORT_BYTES);
  if (limited) return tooManyRequests(true, limited.message, limited.retryAfterSeconds);
  if (!body.ok) return body.reply;
  const report = validateLeakReport(body.value);
  if (!report.ok) return validationFailed(report.errors);
  await revokeLeakedTokens(report.credentials, origin);
  return ACCEPTED;
}
