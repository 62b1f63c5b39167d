import type { RequestHandler } from 'express';
import type { Logger } from '@nachos/common';
import type { LlmProxyClient } from '../llm-proxy/llm-proxy-client.js';
import { markProtocol } from '../middleware/mark-protocol.js';
import type { ProtocolPrefixes } from './protocol-prefixes.js';
import type { ResponsesStore } from '../responses-store/stored-response.js';
import { anthropicMessages, markAnthropic } from './anthropic-routes.js';
import { ollamaChat } from './ollama-routes.js';
import { openAIChatCompletions } from './openai-routes.js';
import { createResponse } from './responses-routes.js';

export interface ChatRouteOptions {
  /** Where Responses API answers are kept. */
  store: ResponsesStore;
  logger: Logger;
  /** The most choices (`n`) one chat request may ask for, each an upstream call. */
  maxChoices: number;
  /** Where the OpenAI and Anthropic routes are served. */
  prefixes: ProtocolPrefixes;
}

/** One chat endpoint: the paths it answers `POST` on and what runs before and after the shared checks. */
export interface ChatRoute {
  paths: string[];
  /**
   * Before anything else, for protocols that own their paths (Anthropic's, Ollama's `/api`): even a
   * refusal before the body is read answers in their shape. OpenAI's paths are marked only at the route,
   * as its router does, so an early refusal still follows `anthropic-version` like everywhere else.
   */
  before: RequestHandler[];
  /** After authentication, the body and admission: the route itself. */
  handlers: RequestHandler[];
}

/**
 * The chat endpoints, nearly every request a gateway serves. The app dispatches them ahead of its generic
 * layers (probes, admin, metrics, pass-through, the protocol routers), each through exactly the checks
 * its request needs, in the order the generic path runs them.
 */
export function chatRoutes(client: LlmProxyClient, options: ChatRouteOptions): ChatRoute[] {
  const openai = markProtocol('openai');
  const under = (prefixes: readonly string[], path: string) => prefixes.map((prefix) => `${prefix}${path}`);
  const routes: ChatRoute[] = [
    { paths: under(options.prefixes.openai, '/chat/completions'), before: [], handlers: [openai, openAIChatCompletions(client, options)] },
    { paths: under(options.prefixes.anthropic, '/messages'), before: [markAnthropic], handlers: [anthropicMessages(client)] },
    { paths: under(options.prefixes.openai, '/responses'), before: [], handlers: [openai, createResponse(client, options.store, options.logger)] },
    { paths: ['/api/chat'], before: [markProtocol('ollama')], handlers: [ollamaChat(client)] },
  ];
  // A protocol switched off serves none of its paths: its requests end at the app's 404.
  return routes.filter((route) => route.paths.length > 0);
}
