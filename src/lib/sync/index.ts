export * from './context';
export * from './credentials';
export * from './housekeeping';
export * from './manual';
export * from './run-tenant-sync';
export * from './runs';
export * from './status';
export * from './sync-all';
