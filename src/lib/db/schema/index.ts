export * from './core';
export * from './tenant-settings';
