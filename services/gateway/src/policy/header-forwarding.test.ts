import { HeaderForwarding } from './header-forwarding.js';

const keyHeaders = ['authorization', 'x-api-key', 'api-key', 'x-goog-api-key'];

describe('HeaderForwarding', () => {
  it('forwards nothing without rules', () => {
    expect(new HeaderForwarding([], keyHeaders, 'x-provider-api-key').select({ 'x-trace-id': 't' }, undefined)).toEqual({});
  });

  it('forwards the headers rules name or rename, never credentials matched only by a regex', () => {
    const forwarding = new HeaderForwarding(
      [{ forward: ['x-trace-id', '/^x-/'] }, { rename: { 'x-team': 'x-upstream-team' } }],
      keyHeaders,
      'x-provider-api-key',
    );
    const selected = forwarding.select(
      {
        'x-trace-id': 't-1',
        'x-team': 'alpha',
        'x-other': 'o',
        'x-api-key': 'sk-client',
        'x-goog-api-key': 'sk-goog',
        'x-provider-api-key': 'sk-byok',
        authorization: 'Bearer sk-gw',
        cookie: 'session=1',
        'user-agent': 'ua',
        'content-length': '10',
      },
      'authorization',
    );
    expect(selected).toEqual({ 'x-trace-id': 't-1', 'x-team': 'alpha', 'x-other': 'o' });
  });

  it('forwards a credential header a rule names exactly, but never the one that carried the gateway key', () => {
    const forwarding = new HeaderForwarding([{ forward: ['x-goog-api-key', 'authorization'] }], keyHeaders, 'x-provider-api-key');
    expect(forwarding.select({ 'x-goog-api-key': 'sk-goog', authorization: 'Bearer sk-gw' }, 'authorization')).toEqual({ 'x-goog-api-key': 'sk-goog' });
  });
});
