import { Inject, Injectable, Optional } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { badInput, notFound } from '../common/errors';
import { loadCatalogs, type Catalogs } from '../pricing/catalog/catalogs';
import { DEFAULT_VALUATION_SETTINGS, type ValuationSettings } from '../pricing/valuation/settings';
import {
  type FleetNeed,
  type FleetNeedInput,
  describeIssues,
  fleetNeedInputSchema,
  toFields,
} from './fleet-need';
import { type PlanResult, type TcoBasis, MAX_ALTERNATIVES, planNeed } from './fleet-plan';
import { FleetNeedsRepository } from './fleet-needs.repository';
import { SPARES_COVERAGE, type SpareFit, type SparesCoverageProvider } from './spares-coverage';

export const MAX_NEEDS_LISTED = 500;
/** Extra nodes of slack kept for the mixed plan (lots can overshoot). */
const MIXED_SLACK = 2;

export interface FleetNeedPlan extends PlanResult {
  need: FleetNeed;
  candidatesConsidered: number;
  /** Null when inventory is not available in this deployment. */
  spares: SpareFit[] | null;
}

@Injectable()
export class FleetNeedsService {
  private catalogs: Catalogs | null = null;
  private readonly settings: ValuationSettings = DEFAULT_VALUATION_SETTINGS;
  private readonly money: Intl.NumberFormat;

  constructor(
    private readonly repo: FleetNeedsRepository,
    config: AppConfig,
    @Optional() @Inject(SPARES_COVERAGE) private readonly spares?: SparesCoverageProvider,
  ) {
    this.money = new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency: config.env.BASE_CURRENCY,
      maximumFractionDigits: 0,
    });
  }

  list(): Promise<FleetNeed[]> {
    return this.repo.list(MAX_NEEDS_LISTED);
  }

  async get(id: number): Promise<FleetNeed> {
    const need = await this.repo.byId(id);
    if (!need) throw notFound('FleetNeed', id);
    return need;
  }

  async create(input: unknown, ownerKeyId: number | null): Promise<FleetNeed> {
    return this.repo.insert(toFields(validate(input)), ownerKeyId || null);
  }

  /** Replaces the need's fields with `patch` merged over the stored ones, then validates. */
  async update(id: number, patch: Record<string, unknown>): Promise<FleetNeed> {
    const current = await this.get(id);
    const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    const merged: Record<string, unknown> = { ...fieldsOf(current), ...defined };
    const updated = await this.repo.update(id, toFields(validate(merged)));
    if (!updated) throw notFound('FleetNeed', id);
    return updated;
  }

  async delete(id: number): Promise<FleetNeed> {
    const deleted = await this.repo.delete(id);
    if (!deleted) throw notFound('FleetNeed', id);
    return deleted;
  }

  /** The cheapest plans for a need over a bounded candidate set selected in SQL. */
  async plan(id: number): Promise<FleetNeedPlan> {
    const need = await this.get(id);
    const candidates = await this.repo.candidates({
      need,
      chassis: this.chassisValues(need.allowedChassis),
      ramUpgrades: need.allowUpgrades ? this.ramUpgrades(need.minRamGb) : [],
      nodesPerGroup: need.quantity,
      maxGroups: MAX_ALTERNATIVES,
      mixedNodes: need.homogeneous ? 0 : need.quantity * MIXED_SLACK,
    });
    const s = this.settings;
    const basis: TcoBasis = {
      horizonMonths: s.horizonMonths,
      energyPricePerKwh: s.energyPricePerKwh,
      pue: s.pue,
      hoursPerMonth: s.hoursPerMonth,
      needHorizonMonths: need.horizonMonths,
      needEnergyPricePerKwh: need.energyPricePerKwh,
    };
    const result = planNeed(need, candidates, basis, (n) => this.money.format(n));
    const chassis = [
      ...new Set(result.plans.flatMap((p) => p.lines.map((l) => l.candidate.chassis))),
    ].filter((c): c is string => c !== null);
    return {
      ...result,
      need,
      candidatesConsidered: candidates.length,
      spares: this.spares && chassis.length ? await this.spares.sparesForChassis(chassis) : null,
    };
  }

  private cat(): Catalogs {
    this.catalogs ??= loadCatalogs();
    return this.catalogs;
  }

  /** The caller's spellings plus the catalog model each resolves to ("PowerEdge R740xd"). */
  private chassisValues(allowed: string[]): string[] {
    const out = new Set<string>();
    for (const a of allowed) {
      out.add(a);
      const entry = this.cat().chassis(a);
      if (entry) out.add(entry.model);
    }
    return [...out];
  }

  /** Catalog chassis whose DIMM slots reach minRamGb, with the settings' RAM price per GB. */
  private ramUpgrades(minRamGb: number | null): Array<{ chassis: string; pricePerGb: number }> {
    if (!minRamGb) return [];
    const prices = this.settings.partsPrices.ramPerGb;
    const out: Array<{ chassis: string; pricePerGb: number }> = [];
    for (const c of this.cat().chassisList) {
      if (c.dimmSlots <= 0 || c.maxRamGb < minRamGb) continue;
      const type = c.ramType?.match(/DDR\d/)?.[0] ?? null;
      const price = type ? prices[type] : undefined;
      if (price === undefined) continue;
      for (const name of new Set([c.model, ...c.aliases])) {
        out.push({ chassis: name, pricePerGb: price });
      }
    }
    return out;
  }
}

function validate(input: unknown): FleetNeedInput {
  const parsed = fleetNeedInputSchema.safeParse(input);
  if (!parsed.success) {
    throw badInput(describeIssues(parsed.error), {
      fields: parsed.error.issues.map((i) => i.path.join('.')),
    });
  }
  return parsed.data;
}

function fieldsOf(n: FleetNeed): Record<string, unknown> {
  const { id: _id, ownerKeyId: _o, createdAt: _c, updatedAt: _u, ...fields } = n;
  return fields;
}
