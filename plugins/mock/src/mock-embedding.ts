import { createHash } from 'node:crypto';

/**
 * A deterministic unit vector for a text: the same input always gives the same vector, different
 * inputs almost surely differ, and its length is 1 so cosine similarity works as clients expect.
 */
export function createMockEmbedding(text: string, dimensions = DEFAULT_DIMENSIONS): number[] {
  const values: number[] = [];
  for (let block = 0; values.length < dimensions; block += 1) {
    const digest = createHash('sha256').update(`${block}:${text}`).digest();
    for (let offset = 0; offset + 2 <= digest.length && values.length < dimensions; offset += 2) {
      values.push(digest.readInt16BE(offset) / 32768);
    }
  }
  const norm = Math.hypot(...values) || 1;
  return values.map((value) => value / norm);
}

const DEFAULT_DIMENSIONS = 8;
