import type * as grpc from '@grpc/grpc-js';
import { create } from '@bufbuild/protobuf';
import {
  ListModelsResponseSchema,
  toProtoListedModel,
  type ListedModel,
  type ListModelsRequest,
  type ListModelsResponse,
} from '@nachos/proto';
import { listedCapabilities } from '../endpoints/listed-capabilities.js';
import { listResolvedModels } from '../routing/list-resolved-models.js';
import type { ModelTable } from '../routing/model-table.js';

/**
 * Lists every model the endpoints serve, once per id (the first endpoint in routing order names it),
 * with the endpoint's source so an operator sees where it came from.
 */
export function listModels(table: ModelTable): ListedModel[] {
  const seen = new Set<string>();
  const listed: ListedModel[] = [];
  for (const endpoint of table.endpoints) {
    for (const model of endpoint.models) {
      const id = table.listedName(endpoint, model);
      if (seen.has(id)) continue;
      seen.add(id);
      listed.push({
        id,
        provider: endpoint.definition.provider,
        endpoint: endpoint.definition.id,
        upstreamId: model.id,
        ...(model.contextLength === undefined ? {} : { contextLength: model.contextLength }),
        ...(model.maxOutputTokens === undefined ? {} : { maxOutputTokens: model.maxOutputTokens }),
        capabilities: listedCapabilities(endpoint, model),
        created: model.created ?? 0,
        ownedBy: model.ownedBy ?? endpoint.definition.provider,
        source: endpoint.definition.source,
      });
    }
  }
  return listed;
}

export function serveListModels(
  call: grpc.ServerUnaryCall<ListModelsRequest, ListModelsResponse>,
  callback: grpc.sendUnaryData<ListModelsResponse>,
  table: ModelTable,
): void {
  const name = call.request.resolve;
  const models = name ? listResolvedModels(table, name) : listModels(table);
  callback(null, create(ListModelsResponseSchema, { models: models.map(toProtoListedModel) }));
}
