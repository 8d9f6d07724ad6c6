export * from './accept-invite';
export * from './create-invite';
export * from './find-invite';
export * from './list-invites';
export * from './revoke-invite';
