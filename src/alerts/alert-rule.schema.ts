import { z } from 'zod';
import { badInput, DomainError } from '../common/errors';
import { LISTING_KINDS } from '../pricing/types';

/**
 * Alert rule definitions, validated before anything is stored. Pure: no Nest, no database.
 * A rule that does not validate is refused with BAD_USER_INPUT naming the field, e.g.
 * `savedSearch.filter.minRamGb: must be at least 0`.
 */

export const RULE_TYPES = [
  'listing_watch',
  'saved_search',
  'market_low',
  'fleet_need',
  'back_in_stock',
] as const;
export type RuleType = (typeof RULE_TYPES)[number];

export const DELIVERIES = ['immediate', 'hourly', 'daily'] as const;
export type Delivery = (typeof DELIVERIES)[number];

export const REARMS = ['after_hours', 'further_drop'] as const;
export const LOW_MODES = ['window', 'all_time', 'within_pct'] as const;

/** Metrics a saved search may threshold on: public name -> listing column (a closed list). */
export const ALERT_METRICS = {
  cpuScorePerDollar: 'cpu_score_per_dollar',
  dollarsPerCore: 'dollars_per_core',
  dollarsPerThread: 'dollars_per_thread',
  dollarsPerGbRam: 'dollars_per_gb_ram',
  dollarsPerTb: 'dollars_per_tb',
  tflopsPerDollar: 'tflops_per_dollar',
  dollarsPerGbVram: 'dollars_per_gb_vram',
  annualEnergyCost: 'annual_energy_cost',
  tco: 'tco',
  breakEvenMonths: 'break_even_months',
  discountToMarket: 'discount_to_market',
  effectivePrice: 'effective_price',
} as const;
export type AlertMetric = keyof typeof ALERT_METRICS;
const METRIC_NAMES = Object.keys(ALERT_METRICS) as [AlertMetric, ...AlertMetric[]];

const money = z.number().finite().min(0, 'must be at least 0').max(1e9, 'is too large');
const positiveMoney = z.number().finite().gt(0, 'must be greater than 0').max(1e9, 'is too large');
const pct = z.number().finite().gt(0, 'must be greater than 0').lt(100, 'must be less than 100');
/** A row id, as a number or as the string a GraphQL ID arrives as; stored as a number. */
const id = z.preprocess(
  (v) => (typeof v === 'string' && /^\s*\d{1,15}\s*$/.test(v) ? Number(v) : v),
  z.number('must be a positive id').int('must be an integer').positive('must be a positive id'),
);
const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

/** The listings filter a saved search stores (jsonb). Every field optional, at least one set. */
export const savedSearchFilterSchema = z
  .object({
    kind: z
      .preprocess(
        (v) => (typeof v === 'string' ? v.trim().toLowerCase() : v),
        z.enum(LISTING_KINDS),
      )
      .optional(),
    vendor: text(80).optional(),
    chassis: text(120).optional(),
    cpuModel: text(120).optional(),
    gpuModel: text(120).optional(),
    minRamGb: z.number().int('must be an integer').min(0, 'must be at least 0').max(1e6).optional(),
    minCores: z.number().int('must be an integer').min(0, 'must be at least 0').max(1e5).optional(),
    minGpuCount: z
      .number()
      .int('must be an integer')
      .min(0, 'must be at least 0')
      .max(64)
      .optional(),
    priceMin: money.optional(),
    priceMax: money.optional(),
    currency: z
      .string()
      .regex(/^[A-Za-z]{3}$/, 'must be an ISO 4217 code such as USD')
      .optional(),
    search: text(200).optional(),
    sourceIds: z.array(id).max(100).optional(),
  })
  .strict()
  .superRefine((f, ctx) => {
    if (f.priceMin !== undefined && f.priceMax !== undefined && f.priceMin > f.priceMax) {
      ctx.addIssue({ code: 'custom', path: ['priceMax'], message: 'must be at least priceMin' });
    }
    if (Object.values(f).every((v) => v === undefined)) {
      ctx.addIssue({ code: 'custom', path: [], message: 'must set at least one criterion' });
    }
  });
export type SavedSearchFilter = z.infer<typeof savedSearchFilterSchema>;

const listingWatch = z
  .object({
    listingId: id,
    targetPrice: positiveMoney.optional(),
    dropPct: pct.optional(),
    dropAmount: positiveMoney.optional(),
    basis: z.enum(['watch_start', 'last_alert']).default('watch_start'),
  })
  .strict()
  .refine(
    (w) => w.targetPrice !== undefined || w.dropPct !== undefined || w.dropAmount !== undefined,
    { message: 'set targetPrice, dropPct or dropAmount' },
  );

const savedSearch = z
  .object({
    filter: savedSearchFilterSchema,
    targetPrice: positiveMoney.optional(),
    metric: z.enum(METRIC_NAMES).optional(),
    metricOp: z.enum(['gte', 'lte']).optional(),
    metricValue: z.number().finite().optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    const set = [s.metric, s.metricOp, s.metricValue].filter((v) => v !== undefined).length;
    if (set !== 0 && set !== 3) {
      ctx.addIssue({
        code: 'custom',
        path: [
          s.metric === undefined ? 'metric' : s.metricOp === undefined ? 'metricOp' : 'metricValue',
        ],
        message: 'metric, metricOp and metricValue go together',
      });
    }
  });

const marketLow = z
  .object({
    configKey: text(200).optional(),
    partNumber: text(80).optional(),
    mode: z.enum(LOW_MODES),
    days: z.number().int('must be an integer').min(1).max(3650).optional(),
    withinPct: pct.optional(),
    minObservations: z.number().int().min(2).max(10_000).default(5),
  })
  .strict()
  .superRefine((m, ctx) => {
    if ((m.configKey === undefined) === (m.partNumber === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['configKey'],
        message: 'set exactly one of configKey or partNumber',
      });
    }
    if (m.mode === 'window' && m.days === undefined) {
      ctx.addIssue({ code: 'custom', path: ['days'], message: 'is required when mode is window' });
    }
    if (m.mode === 'within_pct' && m.withinPct === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['withinPct'],
        message: 'is required when mode is within_pct',
      });
    }
  });

const fleetNeed = z
  .object({
    needId: id,
    trigger: z.enum(['satisfiable', 'cheaper']),
    cheaperPct: pct.optional(),
  })
  .strict()
  .superRefine((f, ctx) => {
    if (f.trigger === 'cheaper' && f.cheaperPct === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['cheaperPct'],
        message: 'is required when trigger is cheaper',
      });
    }
  });

const backInStock = z
  .object({ listingId: id.optional(), partNumber: text(80).optional() })
  .strict()
  .refine((b) => (b.listingId === undefined) !== (b.partNumber === undefined), {
    message: 'set exactly one of listingId or partNumber',
    path: ['listingId'],
  });

const common = {
  name: text(200),
  recipients: z
    .array(z.email('must be an email address').max(254))
    .min(1, 'needs at least one recipient')
    .max(50, 'at most 50 recipients'),
  cooldownHours: z
    .number()
    .finite()
    .min(0, 'must be at least 0')
    .max(24 * 365)
    .default(24),
  rearm: z.enum(REARMS).default('after_hours'),
  delivery: z.enum(DELIVERIES).default('immediate'),
  enabled: z.boolean().default(true),
};

export const alertRuleSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('listing_watch'), listingWatch, ...common }),
  z.object({ type: z.literal('saved_search'), savedSearch, ...common }),
  z.object({ type: z.literal('market_low'), marketLow, ...common }),
  z.object({ type: z.literal('fleet_need'), fleetNeed, ...common }),
  z.object({ type: z.literal('back_in_stock'), backInStock, ...common }),
]);
export type AlertRuleDefinition = z.infer<typeof alertRuleSchema>;

/** Drops null/undefined keys (GraphQL sends null for omitted optional input fields). */
export function stripNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripNulls);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== null && v !== undefined)
        .map(([k, v]) => [k, stripNulls(v)]),
    );
  }
  return value;
}

/** Validates a rule definition; the first issue becomes the error message, all go in details. */
export function parseAlertRule(input: unknown): AlertRuleDefinition {
  const cleaned = stripNulls(input);
  const type = (cleaned as { type?: unknown } | null)?.type;
  if (typeof type === 'string' && RULE_TYPES.includes(type as RuleType)) {
    const section = sectionOf(type as RuleType);
    const present = RULE_TYPES.map(sectionOf).filter(
      (s) => s !== section && (cleaned as Record<string, unknown>)[s] !== undefined,
    );
    if (present.length) {
      throw badInput(`${present[0]}: not allowed for a ${type} rule (use ${section})`, {
        field: present[0],
      });
    }
  }
  const parsed = alertRuleSchema.safeParse(cleaned);
  if (!parsed.success) throw zodToBadInput(parsed.error);
  return parsed.data;
}

export function sectionOf(type: RuleType): string {
  return type.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

export function zodToBadInput(error: z.ZodError): DomainError {
  const issues = error.issues.map((i) => ({
    field: i.path.map(String).join('.') || '(rule)',
    message: i.message,
  }));
  const first = issues[0] ?? { field: '(rule)', message: 'invalid' };
  return badInput(`${first.field}: ${first.message}`, { field: first.field, issues });
}

/**
 * The equality key a saved search is joined on during evaluation (the most selective criterion
 * it has), so evaluation is a hash join, not rules x listings. Listings produce the same keys.
 */
export function matchKeyOf(filter: SavedSearchFilter): string {
  if (filter.cpuModel) return `cpu:${filter.cpuModel.toLowerCase()}`;
  if (filter.gpuModel) return `gpu:${filter.gpuModel.toLowerCase()}`;
  if (filter.chassis) return `chassis:${filter.chassis.toLowerCase()}`;
  if (filter.kind) return `kind:${filter.kind}`;
  return '*';
}
