import type { Request, Response } from 'express';
import type { ClientProtocol } from '../protocols/client-protocol.js';

/**
 * The protocol a request speaks, for answering it before its router has marked it: what the app marked
 * already (`/api`, Anthropic's paths), else Anthropic's for a request carrying `anthropic-version`
 * (Anthropic's SDKs and Claude Code always send it), else OpenAI's.
 */
export function inferProtocol(request: Request, response: Response): ClientProtocol {
  const marked = response.locals.protocol as ClientProtocol | undefined;
  if (marked) return marked;
  if (request.path.startsWith('/api/')) return 'ollama';
  if (request.headers['anthropic-version'] !== undefined || request.path.startsWith('/llm/anthropic/')) return 'anthropic';
  return 'openai';
}
