import { isRecord, type ChatRequest, type ToolChoice } from '@nachos/plugin-sdk';
import type { GeminiGenerationConfig, GeminiRequestBody } from './gemini-api-types.js';
import { convertToGeminiContents, type GeminiContentsSettings } from './convert-to-gemini-contents.js';
import { resolveGeminiThinkingConfig } from './resolve-gemini-thinking-config.js';

/**
 * Converts a canonical request into a `generateContent` body (see `convertToGeminiContents` for the
 * conversation).
 *
 * Decisions worth knowing:
 * - Passthrough fields of Google-family clients (`safetySettings`, `cachedContent`, built-in tools
 *   like `googleSearch`…) are merged underneath: canonical fields win, passthrough `tools` are kept
 *   beside the function declarations, passthrough `generationConfig` fields beside ours.
 * - Functions are declared with `parametersJsonSchema`, which takes the client's JSON Schema as it
 *   is, instead of `parameters`, which accepts only an OpenAPI subset.
 * - The tool choice becomes `functionCallingConfig` (sent only with tools): `required` is `ANY`, a
 *   named tool is `ANY` limited to that name.
 * - JSON response formats set `responseMimeType` (and `responseJsonSchema` for a schema).
 * - `parallelToolCalls` has no Gemini counterpart and is not sent.
 *
 * @see https://ai.google.dev/api/generate-content
 */
export async function convertToGeminiRequest(request: ChatRequest, settings: Pick<GeminiContentsSettings, 'loadImage'>): Promise<GeminiRequestBody> {
  const passthrough = request.passthrough?.family === 'google' ? request.passthrough.fields : {};
  const prompt = await convertToGeminiContents(request.messages, { model: request.model, loadImage: settings.loadImage });
  const body: GeminiRequestBody = {
    ...passthrough,
    contents: prompt.contents,
    generationConfig: convertGenerationConfig(request, isRecord(passthrough['generationConfig']) ? passthrough['generationConfig'] : {}),
  };
  if (prompt.systemInstruction !== undefined) {
    body.systemInstruction = prompt.systemInstruction;
  }
  if (request.tools !== undefined && request.tools.length > 0) {
    const passthroughTools = Array.isArray(passthrough['tools']) ? (passthrough['tools'] as unknown[]) : [];
    const functionDeclarations = request.tools.map((tool) => ({
      name: tool.name,
      ...(tool.description === undefined ? {} : { description: tool.description }),
      parametersJsonSchema: { type: 'object', ...tool.parameters },
    }));
    body.tools = [...passthroughTools, { functionDeclarations }];
    if (request.toolChoice !== undefined) {
      body.toolConfig = { functionCallingConfig: convertToolChoice(request.toolChoice) };
    }
  }
  return body;
}

function convertGenerationConfig(request: ChatRequest, passthrough: Record<string, unknown>): GeminiGenerationConfig {
  const { sampling } = request;
  const config: GeminiGenerationConfig = { ...passthrough };
  const set = <Field extends keyof GeminiGenerationConfig>(field: Field, value: GeminiGenerationConfig[Field] | undefined): void => {
    if (value !== undefined) {
      config[field] = value;
    }
  };
  set('maxOutputTokens', sampling.maxTokens);
  set('temperature', sampling.temperature);
  set('topP', sampling.topP);
  set('topK', sampling.topK);
  set('stopSequences', sampling.stop !== undefined && sampling.stop.length > 0 ? sampling.stop : undefined);
  set('seed', sampling.seed);
  set('presencePenalty', sampling.presencePenalty);
  set('frequencyPenalty', sampling.frequencyPenalty);
  if (request.responseFormat?.type === 'json_object' || request.responseFormat?.type === 'json_schema') {
    config.responseMimeType = 'application/json';
  }
  if (request.responseFormat?.type === 'json_schema') {
    config.responseJsonSchema = request.responseFormat.schema;
  }
  set('thinkingConfig', resolveGeminiThinkingConfig(request.model, request.reasoning));
  return config;
}

function convertToolChoice(choice: ToolChoice): NonNullable<GeminiRequestBody['toolConfig']>['functionCallingConfig'] {
  switch (choice.type) {
    case 'auto':
      return { mode: 'AUTO' };
    case 'none':
      return { mode: 'NONE' };
    case 'required':
      return { mode: 'ANY' };
    case 'tool':
      return { mode: 'ANY', allowedFunctionNames: [choice.name] };
  }
}
