export * from './create-tenant';
export * from './find-tenant';
export * from './hot-list-settings';
export * from './memberships';
export * from './schemas';
export * from './set-clienttether-credentials';
