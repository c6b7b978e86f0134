import pino from 'pino';
import { waitForServices } from '../src/database/boot';
import { bootstrap } from '../src/bootstrap';
import { AppConfig } from '../src/config/app-config';

const silent = pino({ level: 'silent' });

describe('boot with a service down', () => {
  it('PostgreSQL unreachable: one clear error naming it, after the wait', async () => {
    await expect(
      waitForServices('postgres://postgres@127.0.0.1:1/nope', process.env.REDIS_URL!, 1, silent),
    ).rejects.toThrow(
      /PostgreSQL at postgres:\/\/127\.0\.0\.1:1\/nope is not reachable .*Gave up after 1s/,
    );
  });

  it('Redis unreachable: one clear error naming it', async () => {
    await expect(
      waitForServices(process.env.DATABASE_URL!, 'redis://127.0.0.1:1', 1, silent),
    ).rejects.toThrow(/Redis at redis:\/\/127\.0\.0\.1:1 is not reachable/);
  });

  it('a missing database says how to create it', async () => {
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = '/rackhound_does_not_exist';
    await expect(
      waitForServices(url.toString(), process.env.REDIS_URL!, 1, silent),
    ).rejects.toThrow(/does not exist.*createdb/);
  });

  it('bootstrap refuses to start rather than looping', async () => {
    const config = AppConfig.fromProcess({
      REDIS_URL: 'redis://127.0.0.1:1',
      BOOT_WAIT_SECONDS: '1',
      LOG_LEVEL: 'silent',
    });
    await expect(bootstrap(config)).rejects.toThrow(/Redis .* not reachable/);
  });
});
