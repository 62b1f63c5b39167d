import type { ListedModel } from '@nachos/proto';

/**
 * `GET /v1/models` in OpenAI's shape: `{object:"list", data:[{id, object:"model", created, owned_by}]}`.
 * @see https://platform.openai.com/docs/api-reference/models/list
 */
export function buildOpenAIModelList(models: readonly ListedModel[]) {
  return { object: 'list', data: models.map(buildOpenAIModel) };
}

export function buildOpenAIModel(model: ListedModel) {
  return { id: model.id, object: 'model', created: model.created, owned_by: model.ownedBy };
}
