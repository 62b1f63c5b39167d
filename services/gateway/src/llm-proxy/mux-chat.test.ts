import { MuxChat } from './mux-chat.js';

describe('MuxChat', () => {
  it('keeps its open frame for a retry until events arrive, then lets it go', () => {
    const open = new Uint8Array([1, 2, 3]);
    const chat = new MuxChat(open);
    expect(chat.open).toBe(open);
    expect(chat.received).toBe(false);
    chat.deliver([{ type: 'text-delta', text: 'a' }]);
    expect(chat.received).toBe(true);
    expect(chat.open).toBeUndefined();
    expect(chat.take()).toEqual([{ type: 'text-delta', text: 'a' }]);
  });
});
