import { mapHttpStatusToErrorKind } from './map-http-status-to-error-kind.js';

describe('mapHttpStatusToErrorKind', () => {
  it.each([
    [400, 'invalid_request'],
    [401, 'authentication'],
    [402, 'permission'],
    [403, 'permission'],
    [404, 'not_found'],
    [408, 'timeout'],
    [409, 'unavailable'],
    [413, 'invalid_request'],
    [422, 'invalid_request'],
    [429, 'rate_limited'],
    [500, 'unavailable'],
    [502, 'unavailable'],
    [503, 'unavailable'],
    [504, 'timeout'],
    [529, 'unavailable'],
    [418, 'invalid_request'],
  ] as const)('maps %i to %s', (status, kind) => {
    expect(mapHttpStatusToErrorKind(status)).toBe(kind);
  });

  it.each([
    "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens.",
    'prompt is too long: 210000 tokens > 200000 maximum',
    'input length and `max_tokens` exceed context limit: 190000 + 20000 > 200000',
    'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).',
    'Please reduce the length of the messages or completion.',
    'Prompt contains 40000 tokens and 0 draft tokens, too large for model with 32768 maximum context length',
  ])('reads a 400 about the context window as context_length: %s', (message) => {
    expect(mapHttpStatusToErrorKind(400, message)).toBe('context_length');
    expect(mapHttpStatusToErrorKind(413, message)).toBe('context_length');
  });

  it('keeps other 400s, even ones about token limits, as invalid_request', () => {
    expect(
      mapHttpStatusToErrorKind(400, "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead."),
    ).toBe('invalid_request');
    expect(mapHttpStatusToErrorKind(400, 'max_tokens is too large: 100000. This model supports at most 16384 completion tokens')).toBe(
      'invalid_request',
    );
  });

  it('does not let a context-length message turn a 429 into something else', () => {
    expect(mapHttpStatusToErrorKind(429, 'maximum context length')).toBe('rate_limited');
  });
});
