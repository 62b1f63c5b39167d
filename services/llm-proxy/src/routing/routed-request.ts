import type { ChatRequest } from '@nachos/plugin-sdk';

/**
 * A chat's request while the router may still send it: to the first attempt and, on a failure before anything
 * was relayed, to the next. Once an attempt commits no other can follow, so the request is let go and only its
 * model name stays. An open stream would otherwise keep its whole prompt in llm-proxy until its last token:
 * a waiting async function keeps every value it has held, so the router's loop reads the request only through
 * this holder, in functions that return before it waits.
 */
export class RoutedRequest {
  readonly model: string;
  #request: ChatRequest | undefined;

  constructor(request: ChatRequest) {
    this.model = request.model;
    this.#request = request;
  }

  /** The request, for an attempt that has not committed: after `release` there is none to make. */
  get request(): ChatRequest {
    if (this.#request === undefined) throw new Error(`the request for '${this.model}' was released: an attempt committed`);
    return this.#request;
  }

  release(): void {
    this.#request = undefined;
  }
}
