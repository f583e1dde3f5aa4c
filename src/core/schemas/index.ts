export * from './common.js';
export * from './auth.js';
export * from './lists.js';
export * from './tasks.js';
