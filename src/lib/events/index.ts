export * from './coalescing-emitter';
export * from './emit';
export * from './event-data';
export * from './hub';
export * from './shared-emitter';
export * from './shared-hub';
export * from './types';
