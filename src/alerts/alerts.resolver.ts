import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, RequireRole } from '../auth/roles.decorator';
import type { Principal } from '../auth/roles';
import { DomainError } from '../common/errors';
import {
  AlertEventModel,
  AlertEventStatusGql,
  AlertRuleInput,
  AlertRuleModel,
  AlertDeliveryGql,
  AlertRearmGql,
  AlertRuleTypeGql,
} from './alert.model';
import type { AlertEventRow, AlertRuleRow } from './alerts.repository';
import { AlertsService } from './alerts.service';
import { parseId } from '../common/ids';

/** Alert rules owned by the calling key (admins see all) and the events they raised. */
@Resolver(() => AlertRuleModel)
export class AlertsResolver {
  constructor(private readonly alerts: AlertsService) {}

  @Query(() => [AlertRuleModel])
  async alertRules(@CurrentPrincipal() p: Principal | null): Promise<AlertRuleModel[]> {
    const rows = await this.alerts.rules(need(p));
    return Promise.all(rows.map((r) => this.toModel(r)));
  }

  @Query(() => AlertRuleModel)
  async alertRule(
    @CurrentPrincipal() p: Principal | null,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<AlertRuleModel> {
    return this.toModel(await this.alerts.rule(need(p), parseRuleId(id)));
  }

  @Query(() => [AlertEventModel], { description: 'Newest first.' })
  async alertEvents(
    @CurrentPrincipal() p: Principal | null,
    @Args('ruleId', { type: () => ID, nullable: true }) ruleId: string | null,
    @Args('status', { type: () => AlertEventStatusGql, nullable: true })
    status: AlertEventStatusGql | null,
    @Args('first', { type: () => Int, defaultValue: 50 }) first: number,
  ): Promise<AlertEventModel[]> {
    const rows = await this.alerts.events(
      need(p),
      ruleId ? parseRuleId(ruleId) : null,
      status ?? null,
      first,
    );
    return rows.map(toEventModel);
  }

  @Mutation(() => AlertRuleModel)
  @RequireRole('procurement')
  async createAlertRule(
    @CurrentPrincipal() p: Principal | null,
    @Args('input', { type: () => AlertRuleInput }) input: AlertRuleInput,
  ): Promise<AlertRuleModel> {
    return this.toModel(await this.alerts.createRule(need(p), input));
  }

  @Mutation(() => AlertRuleModel, { description: 'Replaces the definition of a rule.' })
  @RequireRole('procurement')
  async updateAlertRule(
    @CurrentPrincipal() p: Principal | null,
    @Args('id', { type: () => ID }) id: string,
    @Args('input', { type: () => AlertRuleInput }) input: AlertRuleInput,
  ): Promise<AlertRuleModel> {
    return this.toModel(await this.alerts.updateRule(need(p), parseRuleId(id), input));
  }

  @Mutation(() => AlertRuleModel)
  @RequireRole('procurement')
  async setAlertRuleEnabled(
    @CurrentPrincipal() p: Principal | null,
    @Args('id', { type: () => ID }) id: string,
    @Args('enabled') enabled: boolean,
  ): Promise<AlertRuleModel> {
    return this.toModel(await this.alerts.setEnabled(need(p), parseRuleId(id), enabled));
  }

  @Mutation(() => Boolean)
  @RequireRole('procurement')
  deleteAlertRule(
    @CurrentPrincipal() p: Principal | null,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<boolean> {
    return this.alerts.deleteRule(need(p), parseRuleId(id));
  }

  private async toModel(r: AlertRuleRow): Promise<AlertRuleModel> {
    return {
      id: String(r.id),
      name: r.name,
      type: r.type as AlertRuleTypeGql,
      definition: r.params,
      recipients: r.recipients,
      cooldownHours: r.cooldown_hours,
      rearm: r.rearm as AlertRearmGql,
      delivery: r.delivery as AlertDeliveryGql,
      enabled: r.enabled,
      baselinePrice: r.baseline_price,
      note: await this.alerts.note(r),
      createdAt: r.created_at,
    };
  }
}

function need(p: Principal | null): Principal {
  if (!p) throw new DomainError('UNAUTHENTICATED', 'an API key is required');
  return p;
}

function parseRuleId(id: string): number {
  return parseId(id, 'alert rule');
}

function toEventModel(e: AlertEventRow): AlertEventModel {
  return {
    id: String(e.id),
    ruleId: String(e.rule_id),
    listingId: String(e.listing_id),
    triggerLevel: e.trigger_level,
    kind: e.kind,
    price: e.price,
    previousPrice: e.previous_price,
    referencePrice: e.reference_price,
    currency: e.currency?.trim() ?? null,
    status: e.status as AlertEventStatusGql,
    createdAt: e.created_at,
    sentAt: e.sent_at,
  };
}
