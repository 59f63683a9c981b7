/**
 * Text PostgreSQL can store. It refuses NUL (U+0000) in `text` and in `jsonb` alike, and an unpaired
 * UTF-16 surrogate is no character at all: UTF-8 cannot encode it, so the driver would silently store
 * U+FFFD in its place, and jsonb refuses its `\udxxx` escape. Inputs are checked with this before
 * they reach a query, so that such text is the client's 4xx and never the server's 500.
 */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const isStorableText = (value: string): boolean => !UNSTORABLE.test(value);
