import { authHousekeeping } from './auth-housekeeping';
import type { Job } from './types';

export const JOBS: readonly Job[] = [authHousekeeping];
