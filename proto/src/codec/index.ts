export { toProtoChatRequest, fromProtoChatRequest } from './chat-request-codec.js';
export { toProtoChatEvent, fromProtoChatEvent } from './chat-event-codec.js';
export { toProtoListedModel, fromProtoListedModel, type ListedModel } from './models-codec.js';
export {
  toProtoEmbedRequest,
  fromProtoEmbedRequest,
  toProtoEmbedResponse,
  fromProtoEmbedResponse,
  type CanonicalEmbedResponse,
} from './embeddings-codec.js';
export {
  toProtoRegistryEndpoint,
  fromProtoRegistryEndpoint,
  toProtoPutEndpointRequest,
  fromProtoPutEndpointRequest,
  type RegistryEndpointView,
  type RegistryEndpointInput,
} from './registry-codec.js';
export { toProtoCallerPolicy, fromProtoCallerPolicy, type CallerContext } from './caller-policy-codec.js';
export { writeMuxOpen, type MuxOpenFields } from './mux-open-writer.js';
export { readChatRequest } from './chat-request-reader.js';
