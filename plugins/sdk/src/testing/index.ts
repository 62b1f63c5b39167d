export * from './assert-event-grammar.js';
export * from './byte-chunks.js';
export * from './collect-events.js';
export * from './describe-provider-contract.js';
export * from './replay-fixture.js';
export * from './respond.js';
export * from './start-fake-upstream.js';
