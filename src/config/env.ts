import { z } from 'zod';

/**
 * The one place that reads process.env. Every variable is validated at boot; a bad value
 * stops the process with a message naming the variable (see loadConfig).
 */
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const url = (protocols: string[]) =>
  z.string().refine(
    (v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL with protocol ${protocols.join(' or ')}` },
  );

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  APP_ROLE: z.enum(['all', 'api', 'worker']).default('all'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  PUBLIC_URL: z.string().optional(),
  DATABASE_URL: url(['postgres:', 'postgresql:']).default(
    'postgres://postgres@127.0.0.1:5432/rackhound',
  ),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
  REDIS_URL: url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:{}_-]+$/, 'letters, digits, : _ - and {} (Redis Cluster hash tags) only')
    .default('rh'),
  BASE_CURRENCY: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD')
    .default('USD'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MIGRATIONS_RUN: bool.default(true),
  BOOT_WAIT_SECONDS: z.coerce.number().int().min(0).max(600).default(30),
  INGEST_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  SCRAPE_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(2),
  CHROMIUM_PATH: z.string().default('/usr/bin/chromium'),
  /** Navigation / HTTP timeout per page fetch. */
  SCRAPE_NAV_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(20_000),
  /** Tries per page on timeouts, 5xx, 429 and bot walls (exponential backoff from SCRAPE_BACKOFF_MS). */
  SCRAPE_PAGE_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  SCRAPE_BACKOFF_MS: z.coerce.number().int().min(0).max(600_000).default(2000),
  /** Where the HTML of failed pages is saved (<runId>-<page>.html), relative to the working dir. */
  SCRAPE_FAILED_PAGES_DIR: z.string().min(1).default('var/failed-pages'),
  SCRAPE_RESPECT_ROBOTS: bool.default(true),
  ROBOTS_TTL_MS: z.coerce.number().int().min(0).default(3_600_000),
  DEMO_MODE: z.enum(['auto', 'on', 'off']).default('auto'),
  SIMULATOR_PORT: z.coerce.number().int().min(0).max(65535).default(4010),
  /** none: every GraphQL call needs an API key; viewer: reads are open without one. */
  ANONYMOUS_ROLE: z.enum(['none', 'viewer']).default('none'),
  GRAPHQL_IDE: bool.optional(),
  GRAPHQL_INTROSPECTION: bool.optional(),
  /** Inventory: how long a reservation holds units when reservePart names no expiresIn. */
  RESERVATION_DEFAULT_TTL_HOURS: z.coerce.number().positive().max(8760).default(72),
  /** Inventory: the longest expiry reservePart/extendReservation accept. */
  RESERVATION_MAX_TTL_HOURS: z.coerce.number().positive().max(87600).default(720),
  /** Inventory: how often the worker releases expired reservations (seconds). */
  RESERVATION_SWEEP_SECONDS: z.coerce.number().int().min(1).max(86400).default(60),
  /** Deepest selection a GraphQL operation may nest (introspection fields excepted). */
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(2).max(100).default(10),
  /** Highest computed cost (fields x list sizes from first/last) an operation may have. */
  GRAPHQL_MAX_COST: z.coerce.number().int().min(10).max(10_000_000).default(20_000),
  /** GraphQL requests per minute per API key (anonymous: per IP); 0 disables the limit. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(600),
  /** Requests a key may send at once before the per-minute rate applies (default: the rate). */
  RATE_LIMIT_BURST: z.coerce.number().int().min(1).max(1_000_000).optional(),
  /** Alert emails: SMTP server (smtp:// or smtps://, credentials in the URL), sender, pool. */
  SMTP_URL: url(['smtp:', 'smtps:']).default('smtp://127.0.0.1:1025'),
  SMTP_FROM: z.string().min(3).default('Rackhound <alerts@rackhound.local>'),
  SMTP_POOL_SIZE: z.coerce.number().int().min(1).max(50).default(5),
  EMAIL_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(10),
  EMAIL_BACKOFF_MS: z.coerce.number().int().min(10).default(5000),
  /** HMAC secret for unsubscribe links. Required (>= 16 chars) in production. */
  ALERTS_SIGNING_SECRET: z.string().min(16).optional(),
  /** Cron patterns of the digest schedulers (UTC). */
  ALERTS_HOURLY_CRON: z.string().default('0 * * * *'),
  ALERTS_DAILY_CRON: z.string().default('0 7 * * *'),
});

export type Env = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n  ${issues.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  // Empty strings mean "unset" so that a blank line in .env does not override a default.
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([, v]) => v !== undefined && v !== ''),
  );
  const result = envSchema
    .superRefine((env, ctx) => {
      if (env.NODE_ENV === 'production' && !env.ALERTS_SIGNING_SECRET) {
        ctx.addIssue({
          code: 'custom',
          path: ['ALERTS_SIGNING_SECRET'],
          message: 'must be set in production (signs unsubscribe links)',
        });
      }
    })
    .safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    );
  }
  return result.data;
}

/** LOG_LEVEL for code that logs before the app config exists; invalid values fall back to info. */
export function logLevelFromProcess(): Env['LOG_LEVEL'] {
  const parsed = envSchema.shape.LOG_LEVEL.safeParse(process.env.LOG_LEVEL || undefined);
  return parsed.success ? parsed.data : 'info';
}
