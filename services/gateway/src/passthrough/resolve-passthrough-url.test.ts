import { resolvePassthroughUrl } from './resolve-passthrough-url.js';

const config = (llmProxyUrl: string, passthroughUrl = '', passthroughPort = 0) => ({
  gateway: { llm_proxy_url: llmProxyUrl, llm_proxy_passthrough_url: passthroughUrl } as never,
  llm_proxy: { http_port: 9090, passthrough_port: passthroughPort } as never,
});

describe('resolvePassthroughUrl', () => {
  it("uses LLM_PROXY_URL's host on the internal HTTP port, or the pass-through port when llm-proxy has one", () => {
    expect(resolvePassthroughUrl(config('llm-proxy:50051'))).toBe('http://llm-proxy:9090');
    expect(resolvePassthroughUrl(config('dns:///llm-proxy:50051', '', 9191))).toBe('http://llm-proxy:9191');
    expect(resolvePassthroughUrl(config('[::1]:50051'))).toBe('http://[::1]:9090');
  });

  it('takes LLM_PROXY_PASSTHROUGH_URL as given', () => {
    expect(resolvePassthroughUrl(config('llm-proxy:50051', 'http://raw.internal:7000/'))).toBe('http://raw.internal:7000');
  });
});
