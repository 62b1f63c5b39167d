import { estimateBodyTokens } from './estimate-body-tokens.js';

describe('estimateBodyTokens', () => {
  it('counts four characters a token over every string, plus the output the request may use', () => {
    const body = { model: 'm', messages: [{ role: 'user', content: 'x'.repeat(395) }] };
    expect(estimateBodyTokens(body, 256)).toEqual({ inputTokens: 100, totalTokens: 356 });
    expect(estimateBodyTokens({ ...body, max_tokens: 50 }, 256).totalTokens).toBe(150);
    expect(estimateBodyTokens({ ...body, options: { num_predict: 10_000 } }, 256).totalTokens).toBe(356);
  });

  it('counts inline images at a flat rate, and survives a huge flat array', () => {
    const image = `data:image/png;base64,${'A'.repeat(50_000)}`;
    expect(estimateBodyTokens({ images: ['B'.repeat(5_000)], content: [{ image_url: { url: image } }] }, 0).inputTokens).toBe(3_200);
    expect(estimateBodyTokens({ input: new Array(500_000).fill('ab') }, 0).inputTokens).toBe(250_000);
  });
});
