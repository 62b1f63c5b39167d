import type { ListedModel } from '@nachos/proto';
import { GatewayError } from '../../errors/gateway-error.js';
import { buildAnthropicModelList } from './build-anthropic-models.js';

function model(id: string, extra: Partial<ListedModel> = {}): ListedModel {
  return { id, provider: 'p', endpoint: 'e', upstreamId: id, capabilities: {}, created: 1_700_000_000, ownedBy: 'p', source: 'env', ...extra };
}

const models = Array.from({ length: 5 }, (_, index) => model(`m${index}`));

describe('buildAnthropicModelList', () => {
  it("answers in Anthropic's shape, with limits where the catalogue knows them", () => {
    expect(buildAnthropicModelList([model('claude-x', { contextLength: 200_000, maxOutputTokens: 64_000 })], {})).toEqual({
      data: [
        { type: 'model', id: 'claude-x', display_name: 'claude-x', created_at: '2023-11-14T22:13:20.000Z', max_input_tokens: 200_000, max_tokens: 64_000 },
      ],
      has_more: false,
      first_id: 'claude-x',
      last_id: 'claude-x',
    });
    expect(buildAnthropicModelList([], {})).toEqual({ data: [], has_more: false, first_id: null, last_id: null });
  });

  it('pages with limit, after_id and before_id', () => {
    const first = buildAnthropicModelList(models, { limit: '2' });
    expect(first).toMatchObject({ has_more: true, first_id: 'm0', last_id: 'm1' });
    const next = buildAnthropicModelList(models, { limit: '2', after_id: 'm1' });
    expect(next).toMatchObject({ has_more: true, first_id: 'm2', last_id: 'm3' });
    expect(buildAnthropicModelList(models, { limit: '2', after_id: 'm3' })).toMatchObject({ has_more: false, first_id: 'm4', last_id: 'm4' });
    expect(buildAnthropicModelList(models, { limit: '2', before_id: 'm4' })).toMatchObject({ has_more: true, first_id: 'm2', last_id: 'm3' });
    expect(buildAnthropicModelList(models, { limit: '2', before_id: 'm2' })).toMatchObject({ has_more: false, first_id: 'm0', last_id: 'm1' });
  });

  it('refuses a limit out of range', () => {
    expect(() => buildAnthropicModelList(models, { limit: '0' })).toThrow(GatewayError);
    expect(() => buildAnthropicModelList(models, { limit: 'many' })).toThrow(GatewayError);
  });
});
