export type * from './chat-request.js';
export type * from './stream-event.js';
export type * from './embed-request.js';
export type * from './model-info.js';
export type * from './json.js';
export * from './error-kind.js';
export * from './provider-error.js';
export * from './provider-plugin.js';
export * from './secret.js';
