export * from './bolna';
export * from './simulated';
export * from './statuses';
export * from './types';
