import type { ProviderPlugin } from '@nachos/plugin-sdk';
import { createGenericPlugin } from './create-generic-plugin.js';
import { createPresetPlugin } from './create-preset-plugin.js';
import { readHostPresets } from './read-host-presets.js';

const presets = readHostPresets(new URL('./presets.json', import.meta.url));
const presetPlugins = new Map(presets.map((preset) => [preset.id, createPresetPlugin(preset)]));

/**
 * Every known host as a provider of its own (`groq`, `mistral`, `perplexity`, …), so that setting
 * `GROQ_API_KEY` alone serves Groq. llm-proxy registers a plugin module's `providers` beside its
 * default export.
 */
export const providers: readonly ProviderPlugin[] = [...presetPlugins.values()];

/** The generic OpenAI-compatible plugin; its `preset` option applies a known host's rules. */
export default createGenericPlugin(presets, presetPlugins);
