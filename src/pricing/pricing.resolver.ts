import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, RequireRole } from '../auth/roles.decorator';
import type { Principal } from '../auth/roles';
import { badInput } from '../common/errors';
import { ValuationSettingsInput, ValuationSettingsModel } from './pricing.model';
import { PricingService, SettingsView, mergeSettings } from './pricing.service';

function toModel(v: SettingsView): ValuationSettingsModel {
  const s = v.settings;
  return {
    revision: v.revision,
    valuationVersion: v.valuationVersion,
    pricingVersion: v.pricingVersion,
    updatedAt: v.updatedAt,
    updatedBy: v.updatedBy,
    moneyCurrency: s.moneyCurrency,
    energyPricePerKwh: s.energyPricePerKwh,
    pue: s.pue,
    horizonMonths: s.horizonMonths,
    colocationPerRackUnitMonth: s.colocationPerRackUnitMonth,
    sparesReservePct: s.sparesReservePct,
    operationsPerServerMonth: s.operationsPerServerMonth,
    minMarketObservations: s.minMarketObservations,
    json: JSON.stringify(s),
  };
}

@Resolver(() => ValuationSettingsModel)
export class PricingResolver {
  constructor(private readonly pricing: PricingService) {}

  @Query(() => ValuationSettingsModel)
  async valuationSettings(): Promise<ValuationSettingsModel> {
    return toModel(await this.pricing.settingsView());
  }

  @RequireRole('admin')
  @Mutation(() => ValuationSettingsModel, {
    description: 'Saves a new settings revision and enqueues the recompute of every listing.',
  })
  async updateValuationSettings(
    @Args('input') input: ValuationSettingsInput,
    @CurrentPrincipal() principal: Principal | null,
  ): Promise<ValuationSettingsModel> {
    let patch: unknown = {};
    if (input.json !== undefined && input.json !== null) {
      try {
        patch = JSON.parse(input.json) as unknown;
      } catch (e) {
        throw badInput(`json: not valid JSON (${(e as Error).message})`);
      }
      if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
        throw badInput('json: expected a JSON object of settings to change');
      }
    }
    const { json: _json, ...typed } = input;
    void _json;
    const fields = Object.fromEntries(
      Object.entries(typed).filter(([, v]) => v !== undefined && v !== null),
    );
    const merged = mergeSettings(patch, fields);
    if (Object.keys(merged as object).length === 0) throw badInput('input: no setting to change');
    const view = await this.pricing.updateSettings(merged, principal?.name ?? null);
    return toModel(view);
  }
}
