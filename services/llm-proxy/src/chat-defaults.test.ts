import type { ChatRequest } from '@nachos/plugin-sdk';
import { applyChatDefaults } from './chat-defaults.js';

const request = (sampling: ChatRequest['sampling']): ChatRequest => ({ model: 'm', messages: [], sampling }) as unknown as ChatRequest;

describe('applyChatDefaults', () => {
  it('fills in what the request leaves out', () => {
    const filled = applyChatDefaults(request({ topP: 0.5 }), { maxTokens: 100, temperature: 0.2 });
    expect(filled.sampling).toEqual({ topP: 0.5, maxTokens: 100, temperature: 0.2 });
  });

  it('keeps what the request says', () => {
    const asked = request({ maxTokens: 7, temperature: 1 });
    expect(applyChatDefaults(asked, { maxTokens: 100, temperature: 0.2 }).sampling).toEqual({ maxTokens: 7, temperature: 1 });
  });

  it('leaves the request untouched when it fills something in', () => {
    const asked = request({ topP: 0.5 });
    const filled = applyChatDefaults(asked, { maxTokens: 100, temperature: null });
    expect(filled.sampling).toEqual({ topP: 0.5, maxTokens: 100 });
    expect(asked.sampling).toEqual({ topP: 0.5 });
  });

  it('gives the request itself back when there is nothing to fill in', () => {
    const asked = request({ maxTokens: 7 });
    expect(applyChatDefaults(asked, { maxTokens: 100, temperature: null })).toBe(asked);
    expect(applyChatDefaults(asked, { maxTokens: null, temperature: null })).toBe(asked);
  });
});
