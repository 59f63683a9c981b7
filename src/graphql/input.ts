import { z } from 'zod';
import { parseTokenId } from '../auth/tokens.js';
import { badUserInput } from './errors.js';

/** Shared rules for the arguments dashboards send. */

const MAX_DATABASE_ID = 2_147_483_647;

/** The numeric database ID an `ID` argument names, or null when it cannot name one. */
export function parseId(id: string | number): number | null {
  const text = String(id);
  if (!/^[1-9][0-9]{0,9}$/.test(text)) return null;
  const value = Number(text);
  return value <= MAX_DATABASE_ID ? value : null;
}

/** The id of an access token (bigint, 1 to 2^63-1) an `ID` argument names, or null. Send such ids as strings: JSON numbers lose digits past 2^53. */
export function parseTokenIdArg(id: string | number): bigint | null {
  return typeof id === 'number' ? (Number.isSafeInteger(id) ? parseTokenId(String(id)) : null) : parseTokenId(id);
}

/** Trims a required text field; blank or too long is BAD_USER_INPUT naming the field. */
export function requiredText(value: string, field: string, maxLength = 200): string {
  const trimmed = value.trim();
  if (!trimmed) throw badUserInput(`${field} must not be blank.`, field);
  if (trimmed.length > maxLength) throw badUserInput(`${field} must be at most ${maxLength} characters.`, field);
  return trimmed;
}

/** Like requiredText, but blank means "not given". */
export function optionalText(value: string | null | undefined, field: string, maxLength = 200): string | null {
  if (value == null || !value.trim()) return null;
  return requiredText(value, field, maxLength);
}

const emailSchema = z.email();

/** An email as stored: trimmed and lower-cased (emails are case-insensitive here); invalid is BAD_USER_INPUT. */
export function normalizeEmail(email: string): string {
  const normalized = email.trim().toLowerCase();
  if (normalized.length > 254 || !emailSchema.safeParse(normalized).success) {
    throw badUserInput('email must be a valid email address.', 'email');
  }
  return normalized;
}
