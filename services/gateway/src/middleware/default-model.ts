import type { RequestHandler } from 'express';

/** The generation routes of every protocol, where `[llm] model` stands in for a model left out. */
const GENERATION_PATHS = /(?:\/chat\/completions|\/completions|\/responses|\/messages|\/api\/chat|\/api\/generate)$/;

/**
 * A generation request that names no model gets `[llm] model`, on every surface, before the key's
 * allowed models and the limits look at it; without a default the protocol's own "model is required"
 * answer stands.
 */
export function defaultModel(model: string): RequestHandler {
  return (request, _response, next) => {
    const body = request.body as Record<string, unknown> | undefined;
    if (request.method === 'POST' && typeof body === 'object' && body !== null && !Array.isArray(body) && body.model === undefined && GENERATION_PATHS.test(request.path)) {
      body.model = model;
    }
    next();
  };
}
