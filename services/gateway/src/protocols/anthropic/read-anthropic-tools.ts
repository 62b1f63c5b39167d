import type { ToolChoice, ToolDefinition } from '@nachos/plugin-sdk';
import { invalidRequest } from '../../errors/gateway-error.js';
import { isObject } from '../request-fields.js';

/**
 * Anthropic client tools (`{name, description?, input_schema}`) → canonical tool definitions.
 * Anthropic's server tools (`web_search_…`, `bash_…`, a `type` other than `custom`) run inside
 * Anthropic and have no canonical form, so they are refused by name instead of silently dropped.
 * @see https://docs.anthropic.com/en/api/messages#body-tools
 */
export function readAnthropicTools(tools: unknown): ToolDefinition[] | undefined {
  if (tools === undefined || tools === null) return undefined;
  if (!Array.isArray(tools)) throw invalidRequest("'tools' must be a list.", 'tools');
  return tools.map((tool, index): ToolDefinition => {
    const param = `tools[${index}]`;
    if (!isObject(tool)) throw invalidRequest(`'${param}' must be an object.`, param);
    if (tool.type !== undefined && tool.type !== null && tool.type !== 'custom') {
      throw invalidRequest(`'${param}.type' ${JSON.stringify(tool.type)}: Anthropic server tools are not supported; define a client tool with input_schema.`, `${param}.type`);
    }
    if (typeof tool.name !== 'string' || tool.name === '') throw invalidRequest(`'${param}.name' must be a non-empty string.`, `${param}.name`);
    if (!isObject(tool.input_schema)) throw invalidRequest(`'${param}.input_schema' must be a JSON Schema object.`, `${param}.input_schema`);
    if (tool.description !== undefined && typeof tool.description !== 'string') {
      throw invalidRequest(`'${param}.description' must be a string.`, `${param}.description`);
    }
    return {
      name: tool.name,
      ...(typeof tool.description === 'string' ? { description: tool.description } : {}),
      parameters: tool.input_schema,
      ...(typeof tool.strict === 'boolean' ? { strict: tool.strict } : {}),
    };
  });
}

export interface AnthropicToolChoice {
  toolChoice?: ToolChoice;
  /** `disable_parallel_tool_use: true` → at most one call per turn. */
  parallelToolCalls?: false;
}

/**
 * `{type: auto|any|none|tool, name?, disable_parallel_tool_use?}` → canonical tool choice; Anthropic's
 * `any` is OpenAI's `required`.
 * @see https://docs.anthropic.com/en/api/messages#body-tool-choice
 */
export function readAnthropicToolChoice(choice: unknown): AnthropicToolChoice {
  if (choice === undefined || choice === null) return {};
  if (!isObject(choice)) throw invalidRequest("'tool_choice' must be an object {type: auto|any|tool|none}.", 'tool_choice');
  const disable = choice.disable_parallel_tool_use;
  if (disable !== undefined && typeof disable !== 'boolean') {
    throw invalidRequest("'tool_choice.disable_parallel_tool_use' must be true or false.", 'tool_choice.disable_parallel_tool_use');
  }
  const parallel = disable === true ? { parallelToolCalls: false as const } : {};
  switch (choice.type) {
    case 'auto':
    case 'none':
      return { toolChoice: { type: choice.type }, ...parallel };
    case 'any':
      return { toolChoice: { type: 'required' }, ...parallel };
    case 'tool':
      if (typeof choice.name !== 'string' || choice.name === '') {
        throw invalidRequest("'tool_choice.name' is required when tool_choice.type is tool.", 'tool_choice.name');
      }
      return { toolChoice: { type: 'tool', name: choice.name }, ...parallel };
    default:
      throw invalidRequest("'tool_choice.type' must be auto, any, tool or none.", 'tool_choice.type');
  }
}
