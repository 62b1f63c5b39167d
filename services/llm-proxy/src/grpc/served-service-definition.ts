import type * as grpc from '@grpc/grpc-js';
import { decodeMuxRequestMessage, LlmProxyServiceDefinition, type LlmProxyImplementation, type MuxRequestMessage, type MuxResponse } from '@nachos/proto';

/**
 * The LlmProxy service as llm-proxy serves it: `Mux` frames are read by hand (proto's mux-requests.ts), one or several combined per message,
 * the chat request of each left as bytes for its call; every other method as generated.
 */
export const ServedLlmProxyDefinition = {
  ...LlmProxyServiceDefinition,
  mux: { ...LlmProxyServiceDefinition.mux, requestDeserialize: decodeMuxRequestMessage } as unknown as grpc.MethodDefinition<MuxRequestMessage, MuxResponse>,
};

export type ServedLlmProxyImplementation = Omit<LlmProxyImplementation, 'mux'> & {
  mux: grpc.handleBidiStreamingCall<MuxRequestMessage, MuxResponse>;
};
