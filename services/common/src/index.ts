export * from './config-error.js';
export * from './create-logger.js';
export * from './interpolate-env.js';
export * from './load-config-file.js';
export * from './load-nachos-config.js';
export type * from './nachos-config.js';
export * from './read-secret-env.js';
