import type { ChatRequest, ContentPart } from '@nachos/plugin-sdk';

/** Anthropic's published upper bound for one image (about 1.15 megapixels at 750 pixels a token). */
const TOKENS_PER_IMAGE = 1600;

/**
 * A rough token count from text length: four characters a token, the rule of thumb for English and
 * code. Used where no upstream count exists yet (`message_start`, `count_tokens`); the real count, when
 * the upstream reports one, replaces it in `message_delta`.
 */
export function estimateTokens(characters: number): number {
  return Math.ceil(characters / 4);
}

/**
 * Estimates the input tokens of a request from everything the model reads: system and message text,
 * tool calls and results, replayed reasoning, and the tool definitions. Images count a flat
 * {@link TOKENS_PER_IMAGE}, since their size is not known without decoding them.
 */
export function estimateInputTokens(request: ChatRequest): number {
  let characters = 0;
  let images = 0;
  const count = (part: ContentPart): void => {
    switch (part.type) {
      case 'text':
      case 'reasoning':
        characters += part.text.length;
        break;
      case 'image':
        images += 1;
        break;
      case 'tool-call':
        characters += part.name.length + part.arguments.length;
        break;
      case 'tool-result':
        part.content.forEach(count);
        break;
      case 'redacted-reasoning':
        break;
    }
  };
  for (const message of request.messages) message.content.forEach(count);
  for (const tool of request.tools ?? []) {
    characters += tool.name.length + (tool.description?.length ?? 0) + JSON.stringify(tool.parameters).length;
  }
  return estimateTokens(characters) + images * TOKENS_PER_IMAGE;
}
