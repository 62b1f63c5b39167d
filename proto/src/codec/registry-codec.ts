import { create } from '@bufbuild/protobuf';
import { Secret, type JsonObject } from '@nachos/plugin-sdk';
import {
  PutEndpointRequestSchema,
  RegistryEndpointSchema,
  type PutEndpointRequest,
  type RegistryEndpoint,
} from '../gen/nachos/llm/v1/llm_proxy_pb.js';
import { omitUndefined } from './omit-undefined.js';

/** One endpoint as the registry lists it: where it points and where it came from, never its key. */
export interface RegistryEndpointView {
  id: string;
  provider: string;
  baseUrl: string;
  models: string[];
  weight: number;
  /** `config`, `env`, `admin`, `auto-discovery` or `default`. */
  source: string;
  hasKey: boolean;
  /** Extra upstream headers by name only: their values may be credentials. */
  headerNames: string[];
  explicitModels: boolean;
  /** The endpoint's own `rate_limit`; an absent field is no limit. */
  rateLimit: { rpm?: number; tpm?: number };
  /** The answering llm-proxy replica's keep-alive connections to the endpoint's origin. */
  connections: { open: number; busy: number };
}

/** An endpoint the admin API adds (or replaces). The key stays a {@link Secret} on both sides of the wire. */
export interface RegistryEndpointInput {
  id: string;
  /** A plugin id; absent means openai-compatible. */
  provider?: string;
  baseUrl: string;
  apiKey?: Secret;
  /** Absent or empty: the plugin's catalogue and what the upstream lists. */
  models?: string[];
  weight?: number;
  headers?: Record<string, string>;
  options?: JsonObject;
  /** Requests and tokens per minute nachos keeps the endpoint under. */
  rateLimit?: { rpm?: number; tpm?: number };
}

export function toProtoRegistryEndpoint(view: RegistryEndpointView): RegistryEndpoint {
  const { rateLimit, ...rest } = view;
  return create(RegistryEndpointSchema, {
    ...rest,
    models: [...view.models],
    headerNames: [...view.headerNames],
    rateLimitRpm: rateLimit.rpm,
    rateLimitTpm: rateLimit.tpm,
  });
}

export function fromProtoRegistryEndpoint(message: RegistryEndpoint): RegistryEndpointView {
  return {
    id: message.id,
    provider: message.provider,
    baseUrl: message.baseUrl,
    models: [...message.models],
    weight: message.weight,
    source: message.source,
    hasKey: message.hasKey,
    headerNames: [...message.headerNames],
    explicitModels: message.explicitModels,
    rateLimit: omitUndefined({ rpm: message.rateLimitRpm, tpm: message.rateLimitTpm }),
    connections: { open: message.connections?.open ?? 0, busy: message.connections?.busy ?? 0 },
  };
}

export function toProtoPutEndpointRequest(input: RegistryEndpointInput): PutEndpointRequest {
  return create(PutEndpointRequestSchema, {
    id: input.id,
    provider: input.provider ?? '',
    baseUrl: input.baseUrl,
    apiKey: input.apiKey?.reveal(),
    models: input.models ?? [],
    weight: input.weight,
    headers: input.headers ?? {},
    options: input.options,
    rateLimitRpm: input.rateLimit?.rpm,
    rateLimitTpm: input.rateLimit?.tpm,
  });
}

export function fromProtoPutEndpointRequest(request: PutEndpointRequest): RegistryEndpointInput {
  return omitUndefined({
    id: request.id,
    provider: request.provider === '' ? undefined : request.provider,
    baseUrl: request.baseUrl,
    apiKey: request.apiKey === undefined || request.apiKey === '' ? undefined : new Secret(request.apiKey),
    models: request.models.length === 0 ? undefined : [...request.models],
    weight: request.weight,
    headers: Object.keys(request.headers).length === 0 ? undefined : { ...request.headers },
    options: request.options,
    rateLimit: request.rateLimitRpm === undefined && request.rateLimitTpm === undefined ? undefined : omitUndefined({ rpm: request.rateLimitRpm, tpm: request.rateLimitTpm }),
  });
}
