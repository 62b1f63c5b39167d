import { applyHeaderRules } from './apply-header-rules.js';

describe('applyHeaderRules', () => {
  const client = { 'x-trace': 't-1', 'x-team-tag': 'blue', authorization: 'Bearer caller', 'openai-beta': 'assistants=v2' };

  it('forwards only what a matching rule names, renames, inserts and removes', () => {
    const headers = applyHeaderRules(
      [
        { providers: ['openai'], forward: ['/^x-/'], insert: { 'x-org': 'acme', 'x-drop-me': '1' }, remove: ['x-drop-me'] },
        { models: ['gpt-4o*'], rename: { 'x-team-tag': 'x-billing-team' } },
        { providers: ['anthropic'], forward: ['openai-beta'] },
      ],
      'openai',
      'gpt-4o-mini',
      client,
    );
    expect(headers).toEqual({ 'x-trace': 't-1', 'x-team-tag': 'blue', 'x-org': 'acme', 'x-billing-team': 'blue' });
  });

  it('never forwards auth headers unless a rule names them', () => {
    expect(applyHeaderRules([{ forward: ['/.*/'] }], 'openai', 'm', client).authorization).toBe('Bearer caller');
    expect(applyHeaderRules([{ forward: ['/^x-/'] }], 'openai', 'm', client).authorization).toBeUndefined();
    expect(applyHeaderRules([], 'openai', 'm', client)).toEqual({});
  });
});
