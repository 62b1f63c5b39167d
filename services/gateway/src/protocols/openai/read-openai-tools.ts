import type { ToolChoice, ToolDefinition } from '@nachos/plugin-sdk';
import { invalidRequest } from '../../errors/gateway-error.js';
import { isObject } from '../request-fields.js';

/** OpenAI function tools → canonical tool definitions. */
export function readOpenAITools(tools: unknown): ToolDefinition[] | undefined {
  if (tools === undefined || tools === null) return undefined;
  if (!Array.isArray(tools)) throw invalidRequest("'tools' must be a list.", 'tools');
  return tools.map((tool, index) => {
    const param = `tools[${index}]`;
    if (!isObject(tool) || tool.type !== 'function' || !isObject(tool.function)) {
      throw invalidRequest(`'${param}' must be {type:"function", function:{name, parameters}}.`, param);
    }
    const fn = tool.function;
    if (typeof fn.name !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(fn.name)) {
      throw invalidRequest(`'${param}.function.name' must be 1-64 letters, digits, '_' or '-'.`, `${param}.function.name`);
    }
    if (fn.parameters !== undefined && !isObject(fn.parameters)) {
      throw invalidRequest(`'${param}.function.parameters' must be a JSON Schema object.`, `${param}.function.parameters`);
    }
    return {
      name: fn.name,
      ...(typeof fn.description === 'string' ? { description: fn.description } : {}),
      parameters: fn.parameters ?? { type: 'object', properties: {} },
      ...(typeof fn.strict === 'boolean' ? { strict: fn.strict } : {}),
    };
  });
}

/** `"auto" | "none" | "required" | {type:"function", function:{name}}` → canonical tool choice. */
export function readOpenAIToolChoice(choice: unknown): ToolChoice | undefined {
  if (choice === undefined || choice === null) return undefined;
  if (choice === 'auto' || choice === 'none' || choice === 'required') return { type: choice };
  if (isObject(choice) && choice.type === 'function' && isObject(choice.function) && typeof choice.function.name === 'string') {
    return { type: 'tool', name: choice.function.name };
  }
  throw invalidRequest("'tool_choice' must be auto, none, required or {type:\"function\", function:{name}}.", 'tool_choice');
}
