/**
 * A vector as OpenAI's `encoding_format: "base64"` sends it: the values as little-endian float32,
 * base64-encoded. The OpenAI SDKs decode exactly this (and the Node SDK asks for it by default).
 */
export function encodeFloat32Base64(values: readonly number[]): string {
  const bytes = Buffer.alloc(values.length * 4);
  values.forEach((value, index) => bytes.writeFloatLE(value, index * 4));
  return bytes.toString('base64');
}
