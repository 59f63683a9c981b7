/**
 * Reads a request body as text, refusing (null) once it grows past `limit` bytes: at once when the
 * declared Content-Length says so, otherwise while reading. `body` is a Node request or a fetch body.
 */
export async function readBodyText(
  body: AsyncIterable<Uint8Array> | null,
  declaredLength: string | null | undefined,
  limit: number,
): Promise<string | null> {
  if (Number(declaredLength ?? 0) > limit) return null;
  if (!body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > limit) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
