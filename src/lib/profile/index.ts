export * from './account-tokens';
export * from './change-email';
export * from './password-reset';
export * from './sessions';
export * from './update-profile';
