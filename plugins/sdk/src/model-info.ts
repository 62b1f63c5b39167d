/** What a model can do; the gateway's model listings and Ollama's `/api/show` read it. */
export interface ModelCapabilities {
  tools?: boolean;
  vision?: boolean;
  reasoning?: boolean;
  embeddings?: boolean;
}

/** One entry of a plugin's catalogue, or of what a provider lists at run time. */
export interface ModelInfo {
  /** The provider's own model id, sent upstream as is. */
  id: string;
  /** Names users type for this model (`claude-sonnet`, `gpt-4o`). */
  aliases?: string[];
  contextLength?: number;
  maxOutputTokens?: number;
  capabilities?: ModelCapabilities;
  /** Unix seconds; OpenAI's `created`. */
  created?: number;
  ownedBy?: string;
}
