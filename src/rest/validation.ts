import { json, type Reply } from './responses.js';

/** Laravel's validation answers, shared by every REST body that answers 422. */

export type ValidationErrors = Record<string, string[]>;

/** Laravel's display name of an attribute: underscores become spaces. */
const label = (field: string) => field.replaceAll('_', ' ');

/** Laravel's validation messages. */
export const messages = {
  required: (field: string) => `The ${label(field)} field is required.`,
  integer: (field: string) => `The ${label(field)} field must be an integer.`,
  in: (field: string) => `The selected ${label(field)} is invalid.`,
  url: (field: string) => `The ${label(field)} field must be a valid URL.`,
  maxString: (field: string, max: number) => `The ${label(field)} field must not be greater than ${max} characters.`,
  maxItems: (field: string, max: number) => `The ${label(field)} field must not have more than ${max} items.`,
  boolean: (field: string) => `The ${label(field)} field must be true or false.`,
  array: (field: string) => `The ${label(field)} field must be an array.`,
  string: (field: string) => `The ${label(field)} field must be a string.`,
  format: (field: string) => `The ${label(field)} field format is invalid.`,
  between: (field: string, min: number, max: number) => `The ${label(field)} field must be between ${min} and ${max}.`,
  characters: (field: string) => `The ${label(field)} field must not contain invalid characters.`,
  ascii: (field: string) => `The ${label(field)} field must only contain printable ASCII characters.`,
  uuid: (field: string) => `The ${label(field)} field must be a valid UUID.`,
};

/** Laravel's summary: the first message, plus "(and N more error[s])". */
export function summarizeErrors(errors: ValidationErrors): string {
  const all = Object.values(errors).flat();
  const more = all.length - 1;
  if (more === 0) return all[0]!;
  return `${all[0]} (and ${more} more ${more === 1 ? 'error' : 'errors'})`;
}

/** `422 {"message": <summary>, "errors": {<field>: [<messages>]}}`, Laravel's answer to a body that fails validation. */
export const validationFailed = (errors: ValidationErrors): Reply => json({ message: summarizeErrors(errors), errors }, 422);
