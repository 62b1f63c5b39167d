import * as grpc from '@grpc/grpc-js';
import { create, fromBinary, toBinary, type DescMessage, type MessageInitShape, type MessageShape } from '@bufbuild/protobuf';
import type { GenService, GenServiceMethods } from '@bufbuild/protobuf/codegenv2';

/**
 * protobuf-es generates service *descriptors* only, and grpc-js wants a `ServiceDefinition` of paths and
 * (de)serializers. This file bridges the two so that neither side needs proto-loader and its untyped
 * stubs: the descriptor is the single source of truth for paths, streaming flags and message types.
 */

type MethodShape = GenServiceMethods[string];
type RequestOf<Method extends MethodShape> = MessageShape<Method['input']>;
type ResponseOf<Method extends MethodShape> = MessageShape<Method['output']>;
/** Clients may send a plain init object; the serializer completes it with `create`. */
type RequestInitOf<Method extends MethodShape> = MessageInitShape<Method['input']>;

/** The methods record behind a generated service constant (`typeof LlmProxy` → its methods). */
export type ServiceMethods<Service> = Service extends GenService<infer Methods> ? Methods : never;

/** A grpc-js definition whose methods carry the generated message types, keyed by `localName`. */
export type GrpcServiceDefinition<Methods extends GenServiceMethods> = {
  readonly [Name in keyof Methods]: grpc.MethodDefinition<RequestOf<Methods[Name]>, ResponseOf<Methods[Name]>>;
};

/** What `server.addService(definition, implementation)` expects, one typed handler per method. */
export type GrpcServiceImplementation<Methods extends GenServiceMethods> = {
  [Name in keyof Methods]: Methods[Name]['methodKind'] extends 'unary'
    ? grpc.handleUnaryCall<RequestOf<Methods[Name]>, ResponseOf<Methods[Name]>>
    : Methods[Name]['methodKind'] extends 'server_streaming'
      ? grpc.handleServerStreamingCall<RequestOf<Methods[Name]>, ResponseOf<Methods[Name]>>
      : Methods[Name]['methodKind'] extends 'client_streaming'
        ? grpc.handleClientStreamingCall<RequestOf<Methods[Name]>, ResponseOf<Methods[Name]>>
        : grpc.handleBidiStreamingCall<RequestOf<Methods[Name]>, ResponseOf<Methods[Name]>>;
};

interface UnaryClientMethod<Request, Response> {
  (request: Request, callback: grpc.requestCallback<Response>): grpc.ClientUnaryCall;
  (request: Request, metadata: grpc.Metadata, callback: grpc.requestCallback<Response>): grpc.ClientUnaryCall;
  (request: Request, options: Partial<grpc.CallOptions>, callback: grpc.requestCallback<Response>): grpc.ClientUnaryCall;
  (
    request: Request,
    metadata: grpc.Metadata,
    options: Partial<grpc.CallOptions>,
    callback: grpc.requestCallback<Response>,
  ): grpc.ClientUnaryCall;
}

interface ServerStreamingClientMethod<Request, Response> {
  (request: Request, options?: Partial<grpc.CallOptions>): grpc.ClientReadableStream<Response>;
  (request: Request, metadata?: grpc.Metadata, options?: Partial<grpc.CallOptions>): grpc.ClientReadableStream<Response>;
}

interface ClientStreamingClientMethod<Request, Response> {
  (callback: grpc.requestCallback<Response>): grpc.ClientWritableStream<Request>;
  (metadata: grpc.Metadata, callback: grpc.requestCallback<Response>): grpc.ClientWritableStream<Request>;
  (options: Partial<grpc.CallOptions>, callback: grpc.requestCallback<Response>): grpc.ClientWritableStream<Request>;
  (
    metadata: grpc.Metadata,
    options: Partial<grpc.CallOptions>,
    callback: grpc.requestCallback<Response>,
  ): grpc.ClientWritableStream<Request>;
}

interface BidiStreamingClientMethod<Request, Response> {
  (options?: Partial<grpc.CallOptions>): grpc.ClientDuplexStream<Request, Response>;
  (metadata?: grpc.Metadata, options?: Partial<grpc.CallOptions>): grpc.ClientDuplexStream<Request, Response>;
}

/** A grpc-js client with one typed method per RPC, named by `localName` (`chat`, `listModels`, `check`). */
export type GrpcClient<Methods extends GenServiceMethods> = grpc.Client & {
  [Name in keyof Methods]: Methods[Name]['methodKind'] extends 'unary'
    ? UnaryClientMethod<RequestInitOf<Methods[Name]>, ResponseOf<Methods[Name]>>
    : Methods[Name]['methodKind'] extends 'server_streaming'
      ? ServerStreamingClientMethod<RequestInitOf<Methods[Name]>, ResponseOf<Methods[Name]>>
      : Methods[Name]['methodKind'] extends 'client_streaming'
        ? ClientStreamingClientMethod<RequestInitOf<Methods[Name]>, ResponseOf<Methods[Name]>>
        : BidiStreamingClientMethod<RequestInitOf<Methods[Name]>, ResponseOf<Methods[Name]>>;
};

export interface GrpcClientConstructor<Methods extends GenServiceMethods> {
  new (address: string, credentials: grpc.ChannelCredentials, options?: grpc.ClientOptions): GrpcClient<Methods>;
  readonly service: GrpcServiceDefinition<Methods>;
  readonly serviceName: string;
}

/**
 * Turns a generated service descriptor into a grpc-js `ServiceDefinition`: path
 * `/<package>.<Service>/<Method>`, streaming flags from the method kind, binary protobuf on the wire.
 * Serializers accept a message or a plain init object (`create` returns a message unchanged).
 */
export function createGrpcServiceDefinition<Methods extends GenServiceMethods>(
  service: GenService<Methods>,
): GrpcServiceDefinition<Methods> {
  const definition: Record<string, grpc.MethodDefinition<unknown, unknown>> = {};
  for (const method of service.methods) {
    definition[method.localName] = {
      path: `/${service.typeName}/${method.name}`,
      requestStream: method.methodKind === 'client_streaming' || method.methodKind === 'bidi_streaming',
      responseStream: method.methodKind === 'server_streaming' || method.methodKind === 'bidi_streaming',
      requestSerialize: serializerFor(method.input),
      requestDeserialize: deserializerFor(method.input),
      responseSerialize: serializerFor(method.output),
      responseDeserialize: deserializerFor(method.output),
    };
  }
  return definition as GrpcServiceDefinition<Methods>;
}

/**
 * A grpc-js client class for a generated service, typed by its descriptor:
 * `new (makeGrpcClientConstructor(LlmProxy))('127.0.0.1:50051', grpc.credentials.createInsecure())`.
 */
export function makeGrpcClientConstructor<Methods extends GenServiceMethods>(
  service: GenService<Methods>,
): GrpcClientConstructor<Methods> {
  return grpc.makeClientConstructor(
    createGrpcServiceDefinition(service),
    service.typeName,
  ) as unknown as GrpcClientConstructor<Methods>;
}

/** Bytes already encoded (hand-written frames, see mux-frames.ts) are sent as they are. */
function serializerFor(schema: DescMessage): (value: unknown) => Buffer {
  return (value) => {
    const bytes = value instanceof Uint8Array ? value : toBinary(schema, create(schema, value as MessageInitShape<DescMessage>));
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  };
}

function deserializerFor(schema: DescMessage): (bytes: Buffer) => unknown {
  return (bytes) => fromBinary(schema, bytes);
}
