import { readFileSync } from 'node:fs';
import type { ErrorKind } from '@nachos/plugin-sdk';
import { HTTP_STATUS } from '../../errors/http-status.js';
import { anthropicErrorBody } from './anthropic-error-body.js';

describe('anthropicErrorBody', () => {
  it('has the shape of a recorded Anthropic error', () => {
    const recorded = JSON.parse(
      readFileSync(new URL('../../../../../test/fixtures/protocols/anthropic-messages/error-400-tool-result-missing.response.json', import.meta.url), 'utf8'),
    ) as { type: string; error: { type: string } };
    const body = anthropicErrorBody({ kind: 'invalid_request', status: 400, message: "'max_tokens' is required.", param: 'max_tokens' });
    expect(body).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: "'max_tokens' is required." } });
    expect(body.type).toBe(recorded.type);
    expect(body.error.type).toBe(recorded.error.type);
  });

  it.each([
    [400, 'invalid_request_error'],
    [401, 'authentication_error'],
    [403, 'permission_error'],
    [404, 'not_found_error'],
    [413, 'request_too_large'],
    [415, 'invalid_request_error'],
    [429, 'rate_limit_error'],
    [500, 'api_error'],
    [502, 'api_error'],
    [503, 'overloaded_error'],
    [504, 'timeout_error'],
    [529, 'overloaded_error'],
  ])('maps status %i to %s', (status, type) => {
    expect(anthropicErrorBody({ kind: 'internal', status, message: 'm' }).error.type).toBe(type);
  });

  it('gives every error kind, at its table status, an Anthropic type', () => {
    for (const [kind, status] of Object.entries(HTTP_STATUS)) {
      expect(anthropicErrorBody({ kind: kind as ErrorKind, status, message: 'm' }).error.type).toMatch(/_error$/);
    }
  });
});
