export * from './messages';
export * from './outbox';
export * from './send-mail';
