import { setTimeout as delay } from 'node:timers/promises';

/**
 * A refused body is read and dropped before the refusal is sent, up to these bounds. Answering while
 * the client is still uploading loses the answer: the client may read nothing until its upload is
 * done, and a connection closed with unread data is reset, which discards the answer at the client
 * (Node closes at once when the client sent `Connection: close`). Leaving the read loop early is worse:
 * it cancels the stream, which destroys the socket with no answer at all. Past the bounds the
 * client is sending far more than any real one would, and gets the answer as things stand.
 */
const DISCARD_MAX_BYTES = 16 * 1024 * 1024;
const DISCARD_MAX_MS = 10_000;

/**
 * Reads a request body as text, refusing (null) once it grows past `limit` bytes, or at once when the
 * declared Content-Length says so; a refused body is drained first (see above). `body` is a Node
 * request or a fetch body.
 */
export async function readBodyText(
  body: AsyncIterable<Uint8Array> | null,
  declaredLength: string | null | undefined,
  limit: number,
): Promise<string | null> {
  if (!body) return '';
  const reader = body[Symbol.asyncIterator]();
  if (Number(declaredLength ?? 0) > limit) return refuse(reader);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let next = await reader.next(); !next.done; next = await reader.next()) {
    size += next.value.byteLength;
    if (size > limit) return refuse(reader);
    chunks.push(next.value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function refuse(reader: AsyncIterator<Uint8Array>): Promise<null> {
  const timer = new AbortController();
  await Promise.race([discardRest(reader), delay(DISCARD_MAX_MS, undefined, { signal: timer.signal }).catch(() => {})]);
  timer.abort();
  return null;
}

async function discardRest(reader: AsyncIterator<Uint8Array>): Promise<void> {
  let discarded = 0;
  try {
    while (discarded < DISCARD_MAX_BYTES) {
      const next = await reader.next();
      if (next.done) return;
      discarded += next.value.byteLength;
    }
  } catch {
    // the client went away: nothing left to drain
  }
}
