import { ConfigError, parseEnv } from './env';

describe('parseEnv', () => {
  it('applies defaults', () => {
    const env = parseEnv({});
    expect(env.APP_ROLE).toBe('all');
    expect(env.PORT).toBe(3000);
    expect(env.BASE_CURRENCY).toBe('USD');
  });

  it('names the variable on a bad value', () => {
    expect(() => parseEnv({ PORT: 'eighty', APP_ROLE: 'both' })).toThrow(ConfigError);
    try {
      parseEnv({ PORT: 'eighty', APP_ROLE: 'both', DATABASE_URL: 'mysql://x' });
    } catch (e) {
      const message = (e as Error).message;
      expect(message).toContain('PORT');
      expect(message).toContain('APP_ROLE');
      expect(message).toContain('DATABASE_URL');
    }
  });

  it('treats empty strings as unset', () => {
    expect(parseEnv({ PORT: '' }).PORT).toBe(3000);
  });
});

describe('production requirements', () => {
  it('refuses to boot in production without a signing secret, naming it', () => {
    expect(() => parseEnv({ NODE_ENV: 'production' })).toThrow(/ALERTS_SIGNING_SECRET/);
    expect(
      parseEnv({ NODE_ENV: 'production', ALERTS_SIGNING_SECRET: 'x'.repeat(32) }).NODE_ENV,
    ).toBe('production');
  });
});
