export {
  beatHeartbeat,
  HEARTBEAT_EVERY_MS,
  HEARTBEAT_PREFIX,
  heartbeatKey,
  readHeartbeats,
  removeHeartbeat,
} from './heartbeat';
export { readMigrationStatus } from './migrations';
export { checkReadiness, HEARTBEAT_FRESH_SECONDS, type Readiness } from './readiness';
