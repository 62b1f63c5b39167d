import type { ChatRequest } from '@nachos/plugin-sdk';

/** `/api/chat` or `/api/generate`: the two differ only in where the text goes on the way back. */
export type OllamaGenerationEndpoint = 'chat' | 'generate';

export interface ParsedOllamaRequest {
  request: ChatRequest;
  /**
   * Set when there is nothing to generate (no messages, or an empty prompt): Ollama's way to load or,
   * with `keep_alive: 0`, unload a model. Answered at once, without an upstream call.
   */
  modelAction?: 'load' | 'unload';
  /** Fields the client sent that no chat provider can honour; named back in `x-nachos-ignored-fields`. */
  ignoredFields: string[];
}
