import type { JsonObject } from '@nachos/plugin-sdk';
import { invalidRequest } from '../../errors/gateway-error.js';
import { optionalString, requireObject, requireString } from '../request-fields.js';

/** The `model` every generation and embedding body must name. */
export function requireOllamaModel(body: JsonObject): string {
  const model = requireString(body, 'model');
  if (model.trim() === '') throw invalidRequest("'model' must not be empty.", 'model');
  return model;
}

/**
 * The model a `/api/show` or `/api/pull` body names: `model`, or `name`, which older clients send and
 * ollama-js still sends for pull.
 */
export function readOllamaModelField(raw: unknown): string {
  const body = requireObject(raw, 'body');
  const model = optionalString(body, 'model') || optionalString(body, 'name');
  if (!model) throw invalidRequest("'model' is required.", 'model');
  return model;
}
