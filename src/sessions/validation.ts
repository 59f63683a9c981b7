import { isStorableText } from '../db/text.js';
import { messages, type ValidationErrors } from '../rest/validation.js';
import { SESSION_STATUSES, UUID, type SessionListQuery, type SessionStatus } from './sessions.js';

/**
 * Validation of `POST /api/v2/session` bodies with Laravel's rules and wording, since Bouncer
 * integrators already parse Laravel's 422 answers. As in a Laravel app, strings are trimmed and
 * empty strings count as missing; every failing rule of a field is reported, in field order.
 */

export const AGE_TARGETS = [8, 13, 16, 18, 21, 25, 30] as const;
export const MIN_EXPIRATION_SECONDS = 60;
export const MAX_EXPIRATION_SECONDS = 3600;
export const DEFAULT_EXPIRATION_SECONDS = 300;
export const MAX_URL_LENGTH = 2048;
export const MAX_METADATA_ITEMS = 50;
export const MAX_METADATA_ITEM_LENGTH = 255;

export type SessionInput = {
  ageTarget: number;
  redirectUrl: string;
  forceKyc: boolean;
  forceVerification: boolean;
  metadata: string[] | null;
  webhookUrl: string | null;
  expirationTime: number;
};


export type ValidationResult = { ok: true; input: SessionInput } | { ok: false; errors: ValidationErrors };

/** The fields a session body may hold, in the order their errors are reported. */
const FIELDS = ['age_target', 'redirect_url', 'force_kyc', 'force_verification', 'metadata', 'webhook_url', 'expiration_time'];

/** Every string of the body's fields, array items included, with the name Laravel gives it. */
function* stringsOf(body: Readonly<Record<string, unknown>>): Generator<[field: string, value: string]> {
  for (const field of FIELDS) {
    const value = body[field];
    if (typeof value === 'string') yield [field, value];
    else if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) if (typeof item === 'string') yield [`${field}.${index}`, item];
    }
  }
}

/** Laravel's TrimStrings and ConvertEmptyStringsToNull middleware. */
function normalize(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/** Laravel's `integer`: a whole number, or a string of one. */
function toInteger(value: unknown): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : null;
  if (typeof value === 'string' && /^[+-]?(0|[1-9][0-9]{0,15})$/.test(value)) return Number(value);
  return null;
}

/** Laravel's `boolean`: true, false, 1, 0, "1", "0". */
function toBoolean(value: unknown): boolean | null {
  if (value === true || value === 1 || value === '1') return true;
  if (value === false || value === 0 || value === '0') return false;
  return null;
}

/** An absolute http(s) URL with a host, and nothing a browser would have to repair. */
export function isHttpUrl(value: string): boolean {
  if (!/^https?:\/\/[^\s/?#]/i.test(value) || /[\s\u0000-\u001f\u007f]/.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

export const characterCount = (value: string) => [...value].length;

/** "key:value": a key without colons, a colon, and a value (which may contain colons). */
const METADATA_ITEM = /^[^:]+:.*$/s;

export function validateSessionInput(body: Readonly<Record<string, unknown>>): ValidationResult {
  const errors: ValidationErrors = {};
  // Text the database cannot store (NUL, unpaired surrogates) fails every string field alike, with
  // this one message: whatever else the value breaks, it is not text.
  const unstorable = new Set<string>();
  for (const [field, value] of stringsOf(body)) {
    if (!isStorableText(value)) unstorable.add(field);
  }
  const fail = (field: string, message: string) => {
    if (!unstorable.has(field)) (errors[field] ??= []).push(message);
  };
  for (const field of unstorable) errors[field] = [messages.characters(field)];

  const present = (field: string) => {
    const value = normalize(body[field]);
    return value === null || value === undefined ? undefined : value;
  };

  // age_target: required|integer|in:8,13,16,18,21,25,30
  const ageTargetValue = present('age_target');
  let ageTarget: number | null = null;
  if (ageTargetValue === undefined) fail('age_target', messages.required('age_target'));
  else {
    ageTarget = toInteger(ageTargetValue);
    if (ageTarget === null) fail('age_target', messages.integer('age_target'));
    if (ageTarget === null || !(AGE_TARGETS as readonly number[]).includes(ageTarget)) {
      fail('age_target', messages.in('age_target'));
    }
  }

  // redirect_url: required|url:http,https|max:2048 ; webhook_url: nullable|url:http,https|max:2048
  const checkUrl = (field: string, required: boolean): string | null => {
    const value = present(field);
    if (value === undefined) {
      if (required) fail(field, messages.required(field));
      return null;
    }
    if (typeof value !== 'string' || !isHttpUrl(value)) fail(field, messages.url(field));
    if (typeof value === 'string' && characterCount(value) > MAX_URL_LENGTH) {
      fail(field, messages.maxString(field, MAX_URL_LENGTH));
    }
    return typeof value === 'string' ? value : null;
  };
  const redirectUrl = checkUrl('redirect_url', true);

  // force_kyc, force_verification: boolean (default false)
  const checkBoolean = (field: string): boolean => {
    if (!(field in body)) return false;
    const value = toBoolean(normalize(body[field]));
    if (value === null) fail(field, messages.boolean(field));
    return value ?? false;
  };
  const forceKyc = checkBoolean('force_kyc');
  const forceVerification = checkBoolean('force_verification');

  // metadata: nullable|array|max:50 ; metadata.*: string|max:255|regex:key:value
  const metadataValue = present('metadata');
  let metadata: string[] | null = null;
  if (metadataValue !== undefined) {
    if (!Array.isArray(metadataValue)) fail('metadata', messages.array('metadata'));
    else {
      if (metadataValue.length > MAX_METADATA_ITEMS) fail('metadata', messages.maxItems('metadata', MAX_METADATA_ITEMS));
      metadata = [];
      metadataValue.forEach((item: unknown, index) => {
        const field = `metadata.${index}`;
        const value = normalize(item);
        if (typeof value !== 'string') {
          fail(field, value === null ? messages.required(field) : messages.string(field));
          return;
        }
        if (characterCount(value) > MAX_METADATA_ITEM_LENGTH) fail(field, messages.maxString(field, MAX_METADATA_ITEM_LENGTH));
        if (!METADATA_ITEM.test(value)) fail(field, messages.format(field));
        metadata!.push(value);
      });
    }
  }

  const webhookUrl = checkUrl('webhook_url', false);

  // expiration_time: integer|between:60,3600 (default 300)
  let expirationTime = DEFAULT_EXPIRATION_SECONDS;
  if ('expiration_time' in body) {
    const value = toInteger(normalize(body.expiration_time));
    if (value === null) fail('expiration_time', messages.integer('expiration_time'));
    else if (value < MIN_EXPIRATION_SECONDS || value > MAX_EXPIRATION_SECONDS) {
      fail('expiration_time', messages.between('expiration_time', MIN_EXPIRATION_SECONDS, MAX_EXPIRATION_SECONDS));
    } else expirationTime = value;
  }

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    input: { ageTarget: ageTarget!, redirectUrl: redirectUrl!, forceKyc, forceVerification, metadata, webhookUrl, expirationTime },
  };
}

export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
/** Printable ASCII, space included (as Stripe's keys: UUIDs or other random strings). */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * The `Idempotency-Key` header: absent (null), or at most 255 printable ASCII characters, not blank;
 * otherwise the errors of the `idempotency_key` field.
 */
export function validateIdempotencyKey(header: string | string[] | undefined): { key: string | null; errors: string[] } {
  if (header === undefined) return { key: null, errors: [] };
  const field = 'idempotency_key';
  const value = Array.isArray(header) ? header.join(', ') : header;
  const errors: string[] = [];
  if (value.trim() === '') errors.push(messages.required(field));
  if (!PRINTABLE_ASCII.test(value)) errors.push(messages.ascii(field));
  if (value.length > MAX_IDEMPOTENCY_KEY_LENGTH) errors.push(messages.maxString(field, MAX_IDEMPOTENCY_KEY_LENGTH));
  return { key: errors.length === 0 ? value : null, errors };
}

export const IDEMPOTENCY_KEY_REUSED = 'The idempotency key was already used with another request.';

const isStatus = (value: string): value is SessionStatus => (SESSION_STATUSES as readonly string[]).includes(value);

/**
 * `GET /api/v2/sessions`'s query: `status` (one of the statuses), `limit` (1–100, default 20; outside
 * is an error, never clamped), `starting_after` (a session id). A parameter given twice is invalid.
 */
export function validateListQuery(
  query: URLSearchParams,
  bounds: { defaultLimit: number; maxLimit: number },
): { ok: true; query: SessionListQuery } | { ok: false; errors: ValidationErrors } {
  const errors: ValidationErrors = {};
  const fail = (field: string, message: string) => (errors[field] ??= []).push(message);
  const single = (field: string): string | null | undefined => {
    const values = query.getAll(field);
    if (values.length > 1) return undefined;
    const value = values[0]?.trim();
    return value === undefined || value === '' ? null : value;
  };

  const status = single('status');
  if (status === undefined || (status !== null && !isStatus(status))) fail('status', messages.in('status'));

  let limit = bounds.defaultLimit;
  const limitText = single('limit');
  if (limitText !== null) {
    const value = limitText === undefined ? null : toInteger(limitText);
    if (value === null) fail('limit', messages.integer('limit'));
    else if (value < 1 || value > bounds.maxLimit) fail('limit', messages.between('limit', 1, bounds.maxLimit));
    else limit = value;
  }

  const startingAfter = single('starting_after');
  if (startingAfter === undefined || (startingAfter !== null && !UUID.test(startingAfter))) {
    fail('starting_after', messages.uuid('starting_after'));
  }

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, query: { status: (status as SessionStatus | null) ?? null, limit, startingAfter: startingAfter ?? null } };
}
