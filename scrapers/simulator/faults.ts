/** Fault injection: per-route failures the simulator can be told to produce. */
import { z } from 'zod';

export const FAULT_TYPES = [
  '500',
  '429',
  'hang',
  'slow',
  'botwall',
  'captcha',
  'malformed',
  'reset',
] as const;
export type FaultType = (typeof FAULT_TYPES)[number];

export interface FaultSpec {
  type: FaultType;
  /** 'slow': delay before the normal response (default 3000 ms). '429': Retry-After seconds = delayMs/1000. */
  delayMs?: number;
  /** Requests that get the fault before it clears itself; unlimited when absent. */
  times?: number;
}

export interface ActiveFault {
  id: string;
  route: RegExp;
  type: FaultType;
  delayMs: number;
  /** Remaining hits; null = unlimited. */
  remaining: number | null;
  hits: number;
}

/** Body of POST /__sim/fault. */
export const faultRequestSchema = z.object({
  route: z
    .string()
    .min(1)
    .max(500)
    .refine((s) => {
      try {
        new RegExp(s);
        return true;
      } catch {
        return false;
      }
    }, 'must be a valid regular expression'),
  type: z.enum(FAULT_TYPES),
  delayMs: z.number().int().min(0).max(600_000).optional(),
  times: z.number().int().min(1).max(1_000_000).optional(),
});

export class FaultRegistry {
  private faults: ActiveFault[] = [];
  private seq = 0;

  add(route: RegExp | string, spec: FaultSpec): ActiveFault {
    if (!FAULT_TYPES.includes(spec.type)) {
      throw new Error(
        `Unknown fault type "${String(spec.type)}"; use one of ${FAULT_TYPES.join(', ')}`,
      );
    }
    if (spec.times !== undefined && (!Number.isInteger(spec.times) || spec.times < 1)) {
      throw new Error(`Fault times must be a positive integer, got ${spec.times}`);
    }
    if (spec.delayMs !== undefined && (!Number.isFinite(spec.delayMs) || spec.delayMs < 0)) {
      throw new Error(`Fault delayMs must be a non-negative number, got ${spec.delayMs}`);
    }
    const fault: ActiveFault = {
      id: `f${++this.seq}`,
      route: typeof route === 'string' ? new RegExp(route) : route,
      type: spec.type,
      delayMs: spec.delayMs ?? (spec.type === '429' ? 1000 : 3000),
      remaining: spec.times ?? null,
      hits: 0,
    };
    this.faults.push(fault);
    return fault;
  }

  /** The first fault whose pattern matches the request path+query; counts the hit. */
  take(pathAndQuery: string): ActiveFault | null {
    for (const fault of this.faults) {
      fault.route.lastIndex = 0;
      if (!fault.route.test(pathAndQuery)) continue;
      fault.hits += 1;
      if (fault.remaining !== null) {
        fault.remaining -= 1;
        if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
      }
      return fault;
    }
    return null;
  }

  remove(id: string): boolean {
    const before = this.faults.length;
    this.faults = this.faults.filter((f) => f.id !== id);
    return this.faults.length < before;
  }

  clear(): void {
    this.faults = [];
  }

  list(): Array<{
    id: string;
    route: string;
    type: FaultType;
    delayMs: number;
    remaining: number | null;
    hits: number;
  }> {
    return this.faults.map((f) => ({
      id: f.id,
      route: f.route.source,
      type: f.type,
      delayMs: f.delayMs,
      remaining: f.remaining,
      hits: f.hits,
    }));
  }
}
