import type { JsonObject, ToolChoice, ToolDefinition } from '@nachos/plugin-sdk';
import { invalidRequest } from '../../errors/gateway-error.js';
import { isObject } from '../request-fields.js';

export interface ResponsesTools {
  tools: ToolDefinition[];
  /** The namespace of each function declared inside a `namespace` tool, by function name. */
  namespaces: Map<string, string>;
  /** Built-in tool types that were offered but cannot run here; set aside and named back to the client. */
  setAside: string[];
}

/**
 * Responses `tools` → canonical tool definitions. Function tools are flat here
 * (`{type:"function", name, description, parameters, strict}`); a `namespace` tool groups function
 * tools, which become ordinary tools (their names must stay unique) and are answered with their
 * `namespace`, as Codex declares and routes its sub-agent tools. Built-in tools (web search, file
 * search, computer use, code interpreter, MCP, custom grammar tools, …) run inside OpenAI's platform
 * and no provider behind nachos can run them. Offered among others they are set aside — the model simply
 * does not get them, as with a provider that lacks them — and named back in `x-nachos-ignored-fields`,
 * so that clients that offer them by default (Codex offers `web_search`) work unchanged; a `tool_choice`
 * that forces one is refused with a 400.
 * @see https://platform.openai.com/docs/guides/function-calling
 */
export function readResponsesTools(tools: unknown): ResponsesTools | undefined {
  if (tools === undefined || tools === null) return undefined;
  if (!Array.isArray(tools)) throw invalidRequest("'tools' must be a list.", 'tools');
  if (tools.length === 0) return undefined;
  const read: ResponsesTools = { tools: [], namespaces: new Map(), setAside: [] };
  tools.forEach((tool, index) => {
    const param = `tools[${index}]`;
    if (isObject(tool) && tool.type === 'namespace') {
      readNamespace(tool, param, read);
      return;
    }
    if (isObject(tool) && typeof tool.type === 'string' && tool.type !== 'function') {
      read.setAside.push(tool.type);
      return;
    }
    read.tools.push(readFunctionTool(tool, param));
  });
  const seen = new Set<string>();
  for (const tool of read.tools) {
    if (seen.has(tool.name)) throw invalidRequest(`'tools': the function name '${tool.name}' is declared twice.`, 'tools');
    seen.add(tool.name);
  }
  return read;
}

function readNamespace(tool: JsonObject, param: string, read: ResponsesTools): void {
  if (typeof tool.name !== 'string' || tool.name === '') throw invalidRequest(`'${param}.name' is required.`, `${param}.name`);
  if (!Array.isArray(tool.tools)) throw invalidRequest(`'${param}.tools' must be a list.`, `${param}.tools`);
  const namespace = tool.name;
  tool.tools.forEach((inner, index) => {
    const definition = readFunctionTool(inner, `${param}.tools[${index}]`);
    read.tools.push(definition);
    read.namespaces.set(definition.name, namespace);
  });
}

function readFunctionTool(tool: unknown, param: string): ToolDefinition {
  if (!isObject(tool)) throw invalidRequest(`'${param}' must be an object.`, param);
  if (tool.type !== 'function') {
    throw invalidRequest(
      `'${param}.type' ${JSON.stringify(tool.type)} is not supported here: nachos serves function tools only; built-in tools run on OpenAI's platform.`,
      `${param}.type`,
      'unsupported_tool_type',
    );
  }
  if (typeof tool.name !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(tool.name)) {
    throw invalidRequest(`'${param}.name' must be 1-64 letters, digits, '_' or '-'.`, `${param}.name`);
  }
  if (tool.parameters !== undefined && tool.parameters !== null && !isObject(tool.parameters)) {
    throw invalidRequest(`'${param}.parameters' must be a JSON Schema object.`, `${param}.parameters`);
  }
  return {
    name: tool.name,
    ...(typeof tool.description === 'string' ? { description: tool.description } : {}),
    parameters: isObject(tool.parameters) ? tool.parameters : { type: 'object', properties: {} },
    ...(typeof tool.strict === 'boolean' ? { strict: tool.strict } : {}),
  };
}

/** `"auto" | "none" | "required" | {type:"function", name}` → canonical tool choice. */
export function readResponsesToolChoice(choice: unknown): ToolChoice | undefined {
  if (choice === undefined || choice === null) return undefined;
  if (choice === 'auto' || choice === 'none' || choice === 'required') return { type: choice };
  if (isObject(choice) && choice.type === 'function' && typeof choice.name === 'string') return { type: 'tool', name: choice.name };
  if (isObject(choice) && typeof choice.type === 'string') {
    throw invalidRequest(
      `'tool_choice' of type ${JSON.stringify(choice.type)} is not supported; use auto, none, required or {type:"function", name}.`,
      'tool_choice',
    );
  }
  throw invalidRequest("'tool_choice' must be auto, none, required or {type:\"function\", name}.", 'tool_choice');
}
