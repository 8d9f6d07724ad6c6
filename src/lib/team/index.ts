export * from './actor';
export * from './change-role';
export * from './list-members';
export * from './remove-member';
