import { Env, parseEnv } from './env';

/** Typed, validated configuration. Injected everywhere; nothing else reads process.env. */
export class AppConfig {
  constructor(readonly env: Env) {}

  static fromProcess(overrides: Record<string, string | undefined> = {}): AppConfig {
    return new AppConfig(parseEnv({ ...process.env, ...overrides }));
  }

  get runsApi(): boolean {
    return this.env.APP_ROLE === 'all' || this.env.APP_ROLE === 'api';
  }

  get runsWorker(): boolean {
    return this.env.APP_ROLE === 'all' || this.env.APP_ROLE === 'worker';
  }

  get isProduction(): boolean {
    return this.env.NODE_ENV === 'production';
  }

  get graphqlIde(): boolean {
    return this.env.GRAPHQL_IDE ?? !this.isProduction;
  }

  get graphqlIntrospection(): boolean {
    return this.env.GRAPHQL_INTROSPECTION ?? !this.isProduction;
  }

  /** Unsubscribe-link secret; a fixed development value outside production (refused there). */
  get alertsSigningSecret(): string {
    const secret = this.env.ALERTS_SIGNING_SECRET;
    if (secret) return secret;
    if (this.isProduction) throw new Error('ALERTS_SIGNING_SECRET must be set in production');
    return 'rackhound-development-signing-secret';
  }

  get publicUrl(): string {
    return this.env.PUBLIC_URL ?? `http://${this.env.HOST}:${this.env.PORT}`;
  }
}
