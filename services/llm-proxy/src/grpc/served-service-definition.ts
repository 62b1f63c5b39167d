import type * as grpc from '@grpc/grpc-js';
import { decodeMuxRequest, LlmProxyServiceDefinition, type LlmProxyImplementation, type MuxRequestFrame, type MuxResponse } from '@nachos/proto';

/**
 * The LlmProxy service as llm-proxy serves it: `Mux` frames are read by hand (proto's mux-requests.ts),
 * the chat request of each left as bytes for its call; every other method as generated.
 */
export const ServedLlmProxyDefinition = {
  ...LlmProxyServiceDefinition,
  mux: { ...LlmProxyServiceDefinition.mux, requestDeserialize: decodeMuxRequest } as unknown as grpc.MethodDefinition<MuxRequestFrame, MuxResponse>,
};

export type ServedLlmProxyImplementation = Omit<LlmProxyImplementation, 'mux'> & {
  mux: grpc.handleBidiStreamingCall<MuxRequestFrame, MuxResponse>;
};
