import { fromBinary, toBinary } from '@bufbuild/protobuf';
import { ModelSchema } from '../gen/nachos/llm/v1/llm_proxy_pb.js';
import { fromProtoListedModel, toProtoListedModel, type ListedModel } from './models-codec.js';

function throughTheWire(model: ListedModel): ListedModel {
  return fromProtoListedModel(fromBinary(ModelSchema, toBinary(ModelSchema, toProtoListedModel(model))));
}

const fullModel: ListedModel = {
  id: 'claude-sonnet',
  provider: 'anthropic',
  endpoint: 'anthropic',
  upstreamId: 'claude-sonnet-4-5-20250929',
  contextLength: 200_000,
  maxOutputTokens: 64_000,
  capabilities: { tools: true, vision: true, reasoning: true, embeddings: false },
  created: 1_759_104_000,
  ownedBy: 'anthropic',
  source: 'config',
};

describe('models codec', () => {
  it('keeps every field of a listed model across the wire', () => {
    expect(throughTheWire(fullModel)).toStrictEqual(fullModel);
  });

  it('keeps optional fields and unknown capabilities absent', () => {
    const model: ListedModel = {
      id: 'local/llama3.2',
      provider: 'ollama',
      endpoint: 'local',
      upstreamId: 'llama3.2',
      capabilities: {},
      created: 0,
      ownedBy: '',
      source: 'auto-discovery',
    };
    expect(throughTheWire(model)).toStrictEqual(model);
  });

  it('keeps a capability that is explicitly false apart from an unknown one', () => {
    const model: ListedModel = { ...fullModel, capabilities: { tools: false, embeddings: true } };
    expect(throughTheWire(model)).toStrictEqual(model);
  });

  it('carries created times past 2038 through int64', () => {
    const model: ListedModel = { ...fullModel, created: 4_102_444_800 };
    expect(throughTheWire(model)).toStrictEqual(model);
  });
});
