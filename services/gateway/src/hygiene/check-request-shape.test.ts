import type { Request, Response } from 'express';
import { checkRequestShape } from './check-request-shape.js';

const LIMITS = { maxIdentifierLength: 8, maxMetadataLength: 4, maxMessages: 3, maxContentParts: 4 };

/** The error the middleware passes on for `body`, or undefined when it lets the body through. */
function refusal(body: unknown): { param?: string; message: string } | undefined {
  let passed: unknown;
  const request = { body, headers: {}, path: '/v1/chat/completions' } as unknown as Request;
  const response = { locals: {} } as unknown as Response;
  void checkRequestShape(LIMITS)(request, response, (error?: unknown) => (passed = error));
  return passed as { param?: string; message: string } | undefined;
}

describe('checkRequestShape', () => {
  it('lets ordinary bodies through, long content included', () => {
    expect(refusal({ model: 'm', messages: [{ role: 'user', content: 'x'.repeat(10_000) }] })).toBeUndefined();
    expect(refusal({ model: 'm', tools: [{ type: 'function', function: { name: 'f', parameters: { properties: { name: { description: 'd'.repeat(100) } } } } }] })).toBeUndefined();
  });

  it('names the field of an identifier that is too long, as the client wrote it', () => {
    expect(refusal({ model: 'm'.repeat(9) })).toMatchObject({ param: 'model', message: "'model' is longer than 8 characters." });
    expect(refusal({ messages: [{ role: 'user', content: [{ type: 'image', source: { media_type: 'i'.repeat(9) } }] }] })).toMatchObject({
      param: 'messages[0].content[0].source.media_type',
    });
    expect(refusal({ metadata: { note: 'long!' } })).toMatchObject({ param: 'metadata.note' });
  });

  it('leaves schemas and tool inputs alone: their keys are the client’s own', () => {
    expect(refusal({ tools: [{ input_schema: { type: 'x'.repeat(20) } }] })).toBeUndefined();
    expect(refusal({ messages: [{ role: 'bot', content: [{ type: 'tool_use', input: { name: 'n'.repeat(20) } }] }] })).toBeUndefined();
  });

  it('counts messages and content parts', () => {
    expect(refusal({ messages: [{}, {}, {}, {}] })).toMatchObject({ param: 'messages' });
    expect(refusal({ input: [{}, {}, {}, {}] })).toMatchObject({ param: 'input' });
    expect(refusal({ messages: [{ content: [1, 2, 3] }, { content: [4, 5] }] })).toMatchObject({ param: 'messages[1].content' });
  });
});
