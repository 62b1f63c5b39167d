import type { JsonObject, JsonValue } from '@nachos/plugin-sdk';

/** What the gateway keeps of one Responses API answer made with `store: true`. */
export interface StoredResponse {
  /** The Response object as the client received it. */
  response: JsonObject;
  /** The request's own input, as items with ids (`GET /v1/responses/{id}/input_items`). */
  inputItems: JsonObject[];
  /**
   * The whole conversation up to and including this answer, as Responses input items: what a request
   * naming this response in `previous_response_id` continues from. Instructions are not part of it,
   * as OpenAI does not carry them over either.
   */
  conversation: JsonValue[];
}

/**
 * Stored responses, each visible only to the gateway key that created it: a lookup by another key
 * finds nothing, exactly as for an id that never existed.
 */
export interface ResponsesStore {
  /** Keeps a response; false when it is larger than the store accepts (it is then not kept). */
  save(owner: string, id: string, stored: StoredResponse): Promise<boolean>;
  get(owner: string, id: string): Promise<StoredResponse | undefined>;
  /** Whether there was such a response to delete. */
  delete(owner: string, id: string): Promise<boolean>;
  close(): void;
}
