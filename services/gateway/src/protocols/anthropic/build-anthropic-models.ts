import type { ListedModel } from '@nachos/proto';
import { invalidRequest } from '../../errors/gateway-error.js';

/** Anthropic's page size when the client names none. */
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 1000;

export interface AnthropicModelPage {
  limit?: unknown;
  after_id?: unknown;
  before_id?: unknown;
}

/**
 * `GET /v1/models` in Anthropic's shape: a page of `{type:"model", id, display_name, created_at}` with
 * `has_more`, `first_id` and `last_id`, paged by `limit` and `after_id` / `before_id` as the Anthropic
 * SDK's auto-pagination sends them.
 * @see https://docs.anthropic.com/en/api/models-list
 */
export function buildAnthropicModelList(models: readonly ListedModel[], page: AnthropicModelPage) {
  const limit = readLimit(page.limit);
  let start = 0;
  let end = models.length;
  if (typeof page.after_id === 'string' && page.after_id !== '') start = models.findIndex((model) => model.id === page.after_id) + 1;
  if (typeof page.before_id === 'string' && page.before_id !== '') {
    end = Math.max(0, models.findIndex((model) => model.id === page.before_id));
    start = Math.max(start, end - limit);
  }
  const data = models.slice(start, Math.min(end, start + limit)).map(buildAnthropicModel);
  const hasMore = typeof page.before_id === 'string' && page.before_id !== '' ? start > 0 : start + data.length < end;
  return { data, has_more: hasMore, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
}

/** One model; `max_input_tokens` / `max_tokens` are given where the catalogue knows them. */
export function buildAnthropicModel(model: ListedModel) {
  return {
    type: 'model' as const,
    id: model.id,
    display_name: model.id,
    created_at: new Date(model.created * 1000).toISOString(),
    ...(model.contextLength === undefined ? {} : { max_input_tokens: model.contextLength }),
    ...(model.maxOutputTokens === undefined ? {} : { max_tokens: model.maxOutputTokens }),
  };
}

function readLimit(value: unknown): number {
  if (value === undefined || value === '') return DEFAULT_LIMIT;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw invalidRequest(`'limit' must be an integer from 1 to ${MAX_LIMIT}.`, 'limit');
  return limit;
}
