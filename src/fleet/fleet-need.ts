import { z } from 'zod';

/** What procurement wants to buy: `quantity` nodes, each meeting every minimum. */
export interface FleetNeed {
  id: number;
  name: string;
  quantity: number;
  minCores: number | null;
  minThreads: number | null;
  minRamGb: number | null;
  minStorageGb: number | null;
  gpuModel: string | null;
  /** FP32 TFLOPS per GPU. */
  minGpuFp32Tflops: number | null;
  /** VRAM per GPU. */
  minGpuVramGb: number | null;
  minGpuCount: number | null;
  formFactor: string | null;
  allowedChassis: string[];
  allowedVendors: string[];
  maxUnitPrice: number | null;
  totalBudget: number | null;
  /** Same chassis and CPU model across the fleet, so spares are shared. */
  homogeneous: boolean;
  /** Whether a listing one RAM upgrade away may be planned (with the upgrade's cost). */
  allowUpgrades: boolean;
  horizonMonths: number | null;
  energyPricePerKwh: number | null;
  ownerKeyId: number | null;
  createdAt: Date;
  updatedAt: Date;
}

export type FleetNeedFields = Omit<FleetNeed, 'id' | 'ownerKeyId' | 'createdAt' | 'updatedAt'>;

const optPositiveInt = (max: number) => z.number().int().positive().max(max).nullable().optional();
const optPositive = (max: number) => z.number().finite().positive().max(max).nullable().optional();
const label = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters');

/** Validation of create/update input; every message names the field. */
export const fleetNeedInputSchema = z
  .strictObject({
    name: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
    quantity: z.number().int().min(1, 'must be at least 1').max(100_000),
    minCores: optPositiveInt(4096),
    minThreads: optPositiveInt(8192),
    minRamGb: optPositiveInt(1_048_576),
    minStorageGb: optPositive(10_000_000),
    gpuModel: label.nullable().optional(),
    minGpuFp32Tflops: optPositive(10_000),
    minGpuVramGb: optPositiveInt(4096),
    minGpuCount: optPositiveInt(64),
    formFactor: label.nullable().optional(),
    allowedChassis: z.array(label).max(200).optional(),
    allowedVendors: z.array(label).max(50).optional(),
    maxUnitPrice: optPositive(1e9),
    totalBudget: optPositive(1e11),
    homogeneous: z.boolean().optional(),
    allowUpgrades: z.boolean().optional(),
    horizonMonths: optPositiveInt(240),
    energyPricePerKwh: z.number().finite().min(0).max(10).nullable().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.minCores && v.minThreads && v.minThreads < v.minCores) {
      ctx.addIssue({
        code: 'custom',
        path: ['minThreads'],
        message: 'must be at least minCores',
      });
    }
    if (v.maxUnitPrice && v.totalBudget && v.maxUnitPrice > v.totalBudget) {
      ctx.addIssue({
        code: 'custom',
        path: ['maxUnitPrice'],
        message: 'must not exceed totalBudget',
      });
    }
  });

export type FleetNeedInput = z.infer<typeof fleetNeedInputSchema>;

/** Input with defaults applied: the stored fields. */
export function toFields(input: FleetNeedInput): FleetNeedFields {
  return {
    name: input.name,
    quantity: input.quantity,
    minCores: input.minCores ?? null,
    minThreads: input.minThreads ?? null,
    minRamGb: input.minRamGb ?? null,
    minStorageGb: input.minStorageGb ?? null,
    gpuModel: input.gpuModel ?? null,
    minGpuFp32Tflops: input.minGpuFp32Tflops ?? null,
    minGpuVramGb: input.minGpuVramGb ?? null,
    minGpuCount: input.minGpuCount ?? null,
    formFactor: input.formFactor ?? null,
    allowedChassis: dedupe(input.allowedChassis ?? []),
    allowedVendors: dedupe(input.allowedVendors ?? []),
    maxUnitPrice: input.maxUnitPrice ?? null,
    totalBudget: input.totalBudget ?? null,
    homogeneous: input.homogeneous ?? true,
    allowUpgrades: input.allowUpgrades ?? true,
    horizonMonths: input.horizonMonths ?? null,
    energyPricePerKwh: input.energyPricePerKwh ?? null,
  };
}

function dedupe(values: string[]): string[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const k = v.toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** "minRamGb: must be ..." lines from a zod error. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
}
