import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/lib/config';

describe('loadConfig', () => {
  it('reads the environment once into a typed config with defaults', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@localhost:5432/db' })).toEqual({
      databaseUrl: 'postgres://u@localhost:5432/db',
      dbPoolMax: 10,
      clienttetherApiUrl: 'https://api.clienttether.com/v2/api/',
      importMaxBytes: 100 * 1024 * 1024,
      importMaxRows: 1_000_000,
      importMaxColumns: 50,
      bolnaApiUrl: 'https://api.bolna.ai',
      webhookIpAllowlist: [],
      dispatchLeaseSeconds: 60,
      dispatchStaleCallSeconds: 900,
      resumeSweepSeconds: 300,
    });
  });

  it('takes the ClientTether sync schedule as a cron expression', () => {
    const env = { DATABASE_URL: 'postgres://u@localhost:5432/db' };
    const config = loadConfig({ ...env, CLIENTTETHER_SYNC_SCHEDULE: '*/2 * * * *' });
    expect(config.clienttetherSyncSchedule).toBe('*/2 * * * *');
    expect(() => loadConfig({ ...env, CLIENTTETHER_SYNC_SCHEDULE: 'hourly' })).toThrow(
      /clienttetherSyncSchedule/,
    );
  });

  it('names every problem, and never echoes a secret value', () => {
    const secret = 'not-a-valid-key-but-secret';
    let message = '';
    try {
      loadConfig({ DATABASE_URL: 'nope', SECRETS_KEY: secret, DB_POOL_MAX: '0' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/databaseUrl/);
    expect(message).toMatch(/secretsKey/);
    expect(message).toMatch(/dbPoolMax/);
    expect(message).not.toContain(secret);
  });
});
