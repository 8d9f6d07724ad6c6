export * from './admin';
export * from './aggregates';
export * from './campaigns';
export * from './clienttether';
export * from './contacts';
export * from './core';
export * from './sync';
export * from './tenant-settings';
