import { readOllamaImages, sniffImageMediaType } from './read-ollama-images.js';

const base64 = (bytes: number[]) => Buffer.from([...bytes, 0, 0, 0, 0, 0, 0, 0, 0]).toString('base64');

describe('readOllamaImages', () => {
  it.each([
    ['image/png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
    ['image/jpeg', [0xff, 0xd8, 0xff, 0xe0]],
    ['image/gif', [...Buffer.from('GIF89a')]],
    ['image/webp', [...Buffer.from('RIFF'), 0x24, 0, 0, 0, ...Buffer.from('WEBPVP8 ')]],
  ])('recognises %s from its first bytes', (mediaType, bytes) => {
    expect(sniffImageMediaType(Buffer.from(bytes))).toBe(mediaType);
    expect(readOllamaImages([base64(bytes)], 'images')).toEqual([{ type: 'image', source: { kind: 'base64', mediaType, data: base64(bytes) } }]);
  });

  it('drops a data: prefix and trusts the bytes over it', () => {
    const jpeg = base64([0xff, 0xd8, 0xff, 0xdb]);
    expect(readOllamaImages([`data:image/png;base64,${jpeg}`], 'images')[0]?.source).toEqual({ kind: 'base64', mediaType: 'image/jpeg', data: jpeg });
  });

  it('refuses what is not base64, not an image providers take, or not a list', () => {
    expect(() => readOllamaImages(['%%%'], 'images')).toThrow(expect.objectContaining({ param: 'images[0]', message: expect.stringContaining('base64') }));
    expect(() => readOllamaImages([Buffer.from('%PDF-1.7 hello').toString('base64')], 'images')).toThrow(
      expect.objectContaining({ param: 'images[0]', message: expect.stringContaining('PNG, JPEG, GIF or WebP') }),
    );
    expect(() => readOllamaImages('abc', 'images')).toThrow(expect.objectContaining({ param: 'images' }));
    expect(readOllamaImages(undefined, 'images')).toEqual([]);
  });
});
