export { createLogger, errorFields, type Logger, REDACT_PATHS, SECRET_FIELDS } from './logger';
export { loggablePath, requestIdFrom } from './request-fields';
