export { describeError } from './describe-error';
export { createLogger, errorFields, type Logger, REDACT_PATHS, SECRET_FIELDS } from './logger';
export { errorReporter, processLogger, setProcessLogger } from './process-logger';
export { loggablePath, requestIdFrom } from './request-fields';
