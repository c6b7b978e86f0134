import {
  Args,
  Context,
  ID,
  Int,
  Mutation,
  Parent,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import DataLoader from 'dataloader';
import type { Principal } from '../auth/roles';
import { CurrentPrincipal, RequireRole } from '../auth/roles.decorator';
import { badInput } from '../common/errors';
import type { PartRow } from './inventory.repository';
import {
  toAlertModel,
  toCoverageModel,
  toLocationModel,
  toMovementModel,
  toPartModel,
  toReservationModel,
  toStockModel,
  toSuggestionModel,
} from './inventory.mapper';
import {
  CreatePartInput,
  InventoryCheckModel,
  PartModel,
  ReservationFilterInput,
  ReservationLineModel,
  ReservationModel,
  ReservePartArgs,
  SourcingSuggestionModel,
  SparesCoverageModel,
  StockAlertModel,
  StockLocationInput,
  StockLocationModel,
  StockModel,
  StockMovementModel,
  UpdatePartInput,
} from './inventory.model';
import { InventoryService } from './inventory.service';

function id(value: string | number, what: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw badInput(`${what}: '${value}' is not an id`);
  return n;
}

const actorOf = (p: Principal | null) => ({
  name: p ? `${p.name}#${p.keyId}` : 'anonymous',
  keyId: p?.keyId || null,
});

interface InventoryLoaders {
  part: DataLoader<number, PartRow | null>;
  lines: DataLoader<number, ReservationLineModel[]>;
  serials: DataLoader<number, string[]>;
}

/** Per-request loaders, kept beside the request's GraphQL context object. */
const loadersByContext = new WeakMap<object, InventoryLoaders>();

function loaders(ctx: object, service: InventoryService): InventoryLoaders {
  let l = loadersByContext.get(ctx);
  if (!l) {
    l = {
      part: new DataLoader(async (ids) => {
        const byId = new Map((await service.partsByIds(ids)).map((p) => [p.id, p]));
        return ids.map((i) => byId.get(i) ?? null);
      }),
      lines: new DataLoader(async (ids) => {
        const rows = await service.linesFor(ids);
        return ids.map((i) =>
          rows
            .filter((r) => r.reservation_id === i)
            .map((r) => ({ locationId: String(r.location_id), quantity: r.quantity })),
        );
      }),
      serials: new DataLoader(async (ids) => {
        const rows = await service.serialsFor(ids);
        return ids.map((i) => rows.filter((r) => r.reservation_id === i).map((r) => r.serial));
      }),
    };
    loadersByContext.set(ctx, l);
  }
  return l;
}

@Resolver(() => PartModel)
export class PartsResolver {
  constructor(private readonly inventory: InventoryService) {}

  @Query(() => [PartModel], { description: 'Spare parts, by kind, text or chassis they fit.' })
  async parts(
    @Args('kind', { type: () => String, nullable: true }) kind: string | null,
    @Args('search', { type: () => String, nullable: true }) search: string | null,
    @Args('chassis', { type: () => String, nullable: true }) chassis: string | null,
    @Args('first', { type: () => Int, defaultValue: 100 }) first: number,
  ): Promise<PartModel[]> {
    return (await this.inventory.parts({ kind, search, chassis, first })).map(toPartModel);
  }

  @Query(() => PartModel, { description: 'A part by its part number or any alias.' })
  async part(@Args('partNumber') partNumber: string): Promise<PartModel> {
    return toPartModel(await this.inventory.part(partNumber));
  }

  @Query(() => [PartModel], { description: 'Spares that fit a server model.' })
  async compatibleParts(@Args('chassis') chassis: string): Promise<PartModel[]> {
    return (await this.inventory.compatibleParts(chassis)).map(toPartModel);
  }

  @Query(() => [SparesCoverageModel], {
    description: 'Spares that fit a chassis (or a fleet need’s chassis), available per site.',
  })
  async sparesCoverage(
    @Args('chassis', { type: () => String, nullable: true }) chassis: string | null,
    @Args('fleetNeedId', { type: () => ID, nullable: true }) fleetNeedId: string | null,
  ): Promise<SparesCoverageModel[]> {
    const need = fleetNeedId ? id(fleetNeedId, 'fleetNeedId') : null;
    return (await this.inventory.sparesCoverage({ chassis, fleetNeedId: need })).map(
      toCoverageModel,
    );
  }

  @Query(() => [SourcingSuggestionModel], {
    description: 'Active listings matching the part or its aliases, cheapest first.',
  })
  async sourcingSuggestions(
    @Args('partNumber') partNumber: string,
    @Args('first', { type: () => Int, defaultValue: 20 }) first: number,
  ): Promise<SourcingSuggestionModel[]> {
    return (await this.inventory.sourcingSuggestions(partNumber, first)).map(toSuggestionModel);
  }

  @ResolveField(() => [String], { description: 'Emails told when the part runs low.' })
  async subscribers(@Parent() part: PartModel): Promise<string[]> {
    return this.inventory.subscribers(part.partNumber);
  }

  @RequireRole('ops')
  @Mutation(() => PartModel)
  async createPart(@Args('input') input: CreatePartInput): Promise<PartModel> {
    return toPartModel(await this.inventory.createPart(input));
  }

  @RequireRole('ops')
  @Mutation(() => PartModel)
  async updatePart(
    @Args('partNumber') partNumber: string,
    @Args('input') input: UpdatePartInput,
  ): Promise<PartModel> {
    const patch = Object.fromEntries(
      Object.entries(input).filter(([k, v]) => v !== undefined && (v !== null || isNullable(k))),
    );
    return toPartModel(await this.inventory.updatePart(partNumber, patch));
  }

  @RequireRole('ops')
  @Mutation(() => [String], { description: 'Adds an email to the part’s low-stock alerts.' })
  async subscribeToPart(
    @Args('partNumber') partNumber: string,
    @Args('email') email: string,
  ): Promise<string[]> {
    return this.inventory.subscribe(partNumber, email);
  }

  @RequireRole('ops')
  @Mutation(() => [String])
  async unsubscribeFromPart(
    @Args('partNumber') partNumber: string,
    @Args('email') email: string,
  ): Promise<string[]> {
    return this.inventory.unsubscribe(partNumber, email);
  }
}

const isNullable = (k: string) => k === 'manufacturer' || k === 'description';

@Resolver(() => StockModel)
export class StockResolver {
  constructor(private readonly inventory: InventoryService) {}

  @Query(() => [StockLocationModel])
  async stockLocations(
    @Args('site', { type: () => String, nullable: true }) site: string | null,
  ): Promise<StockLocationModel[]> {
    return (await this.inventory.locations(site)).map(toLocationModel);
  }

  @Query(() => StockModel, { description: 'A part’s stock per location and site.' })
  async stock(
    @Args('partNumber') partNumber: string,
    @Args('site', { type: () => String, nullable: true }) site: string | null,
  ): Promise<StockModel> {
    return toStockModel(await this.inventory.stock(partNumber, site));
  }

  @Query(() => [StockMovementModel], { description: 'The movement ledger, newest first.' })
  async stockMovements(
    @Args('partNumber', { type: () => String, nullable: true }) partNumber: string | null,
    @Args('site', { type: () => String, nullable: true }) site: string | null,
    @Args('first', { type: () => Int, defaultValue: 100 }) first: number,
  ): Promise<StockMovementModel[]> {
    return (await this.inventory.movements(partNumber, site, first)).map(toMovementModel);
  }

  @Query(() => [StockAlertModel], { description: 'Low-stock alerts (open ones by default).' })
  async stockAlerts(
    @Args('open', { type: () => Boolean, defaultValue: true }) open: boolean,
  ): Promise<StockAlertModel[]> {
    return (await this.inventory.stockAlerts(open)).map(toAlertModel);
  }

  @RequireRole('ops')
  @Query(() => InventoryCheckModel, {
    description: 'Proves every stock level equals the sum of its movements.',
  })
  async inventoryCheck(): Promise<InventoryCheckModel> {
    const r = await this.inventory.reconcile();
    return { ...r, ok: r.problems.length === 0 };
  }

  @RequireRole('ops')
  @Mutation(() => StockLocationModel)
  async createStockLocation(@Args('input') input: StockLocationInput): Promise<StockLocationModel> {
    return toLocationModel(await this.inventory.createLocation(input));
  }

  @RequireRole('ops')
  @Mutation(() => StockModel)
  async receiveStock(
    @Args('partNumber') partNumber: string,
    @Args('locationId', { type: () => ID }) locationId: string,
    @Args('quantity', { type: () => Int }) quantity: number,
    @Args('serials', { type: () => [String], nullable: true }) serials: string[] | null,
    @Args('reference', { type: () => String, nullable: true }) reference: string | null,
    @Args('idempotencyKey', { type: () => String, nullable: true }) idempotencyKey: string | null,
    @CurrentPrincipal() principal: Principal | null,
  ): Promise<StockModel> {
    const loc = id(locationId, 'locationId');
    return toStockModel(
      await this.inventory.receiveStock(
        { partNumber, locationId: loc, quantity, serials, reference, idempotencyKey },
        actorOf(principal),
      ),
    );
  }

  @RequireRole('ops')
  @Mutation(() => StockModel, { description: 'Counts stock up or down; a reason is required.' })
  async adjustStock(
    @Args('partNumber') partNumber: string,
    @Args('locationId', { type: () => ID }) locationId: string,
    @Args('delta', { type: () => Int }) delta: number,
    @Args('reason') reason: string,
    @Args('serials', { type: () => [String], nullable: true }) serials: string[] | null,
    @Args('reference', { type: () => String, nullable: true }) reference: string | null,
    @Args('idempotencyKey', { type: () => String, nullable: true }) idempotencyKey: string | null,
    @CurrentPrincipal() principal: Principal | null,
  ): Promise<StockModel> {
    const loc = id(locationId, 'locationId');
    return toStockModel(
      await this.inventory.adjustStock(
        { partNumber, locationId: loc, delta, reason, serials, reference, idempotencyKey },
        actorOf(principal),
      ),
    );
  }

  @RequireRole('ops')
  @Mutation(() => StockModel)
  async transferStock(
    @Args('partNumber') partNumber: string,
    @Args('fromLocationId', { type: () => ID }) fromLocationId: string,
    @Args('toLocationId', { type: () => ID }) toLocationId: string,
    @Args('quantity', { type: () => Int }) quantity: number,
    @Args('serials', { type: () => [String], nullable: true }) serials: string[] | null,
    @Args('reason', { type: () => String, nullable: true }) reason: string | null,
    @Args('reference', { type: () => String, nullable: true }) reference: string | null,
    @Args('idempotencyKey', { type: () => String, nullable: true }) idempotencyKey: string | null,
    @CurrentPrincipal() principal: Principal | null,
  ): Promise<StockModel> {
    return toStockModel(
      await this.inventory.transferStock(
        {
          partNumber,
          fromLocationId: id(fromLocationId, 'fromLocationId'),
          toLocationId: id(toLocationId, 'toLocationId'),
          quantity,
          serials,
          reason,
          reference,
          idempotencyKey,
        },
        actorOf(principal),
      ),
    );
  }
}

@Resolver(() => ReservationModel)
export class ReservationsResolver {
  constructor(private readonly inventory: InventoryService) {}

  @Query(() => [ReservationModel], { description: 'Newest first; page with afterId.' })
  async reservations(
    @Args('filter', { type: () => ReservationFilterInput, nullable: true })
    filter: ReservationFilterInput | null,
    @Args('first', { type: () => Int, defaultValue: 100 }) first: number,
    @Args('afterId', { type: () => ID, nullable: true }) afterId: string | null,
  ): Promise<ReservationModel[]> {
    const rows = await this.inventory.reservations({
      ...(filter ?? {}),
      afterId: afterId ? id(afterId, 'afterId') : null,
      first,
    });
    return rows.map(toReservationModel);
  }

  @Query(() => ReservationModel)
  async reservation(@Args('id', { type: () => ID }) rid: string): Promise<ReservationModel> {
    return toReservationModel(await this.inventory.reservation(id(rid, 'id')));
  }

  @ResolveField(() => PartModel)
  async part(@Parent() r: ReservationModel, @Context() ctx: object): Promise<PartModel> {
    const p = await loaders(ctx, this.inventory).part.load(r.partId);
    if (!p) throw new Error(`part ${r.partId} of reservation ${r.id} is missing`);
    return toPartModel(p);
  }

  @ResolveField(() => [ReservationLineModel], { description: 'Where the units are held.' })
  async lines(@Parent() r: ReservationModel, @Context() ctx: object) {
    return loaders(ctx, this.inventory).lines.load(Number(r.id));
  }

  @ResolveField(() => [String], { description: 'Serial numbers of the units (tracked parts).' })
  async serials(@Parent() r: ReservationModel, @Context() ctx: object): Promise<string[]> {
    return loaders(ctx, this.inventory).serials.load(Number(r.id));
  }

  @RequireRole('ops')
  @Mutation(() => ReservationModel, {
    description: 'Reserves units at a site; never oversells; idempotent with idempotencyKey.',
  })
  async reservePart(
    @Args() args: ReservePartArgs,
    @CurrentPrincipal() principal: Principal | null,
  ): Promise<ReservationModel> {
    const r = await this.inventory.reserve(
      {
        partNumber: args.partNumber,
        quantity: args.quantity,
        site: args.site,
        locationId: args.locationId ? id(args.locationId, 'locationId') : null,
        forKind: args.for.kind,
        forRef: args.for.ref,
        note: args.for.note,
        expiresIn: args.expiresIn,
        idempotencyKey: args.idempotencyKey,
      },
      actorOf(principal),
    );
    return toReservationModel(r);
  }

  @RequireRole('ops')
  @Mutation(() => ReservationModel, { description: 'Returns the units to available stock.' })
  async releaseReservation(
    @Args('id', { type: () => ID }) rid: string,
    @Args('reason', { type: () => String, nullable: true }) reason: string | null,
    @CurrentPrincipal() principal: Principal | null,
  ): Promise<ReservationModel> {
    return toReservationModel(
      await this.inventory.release(id(rid, 'id'), actorOf(principal), reason),
    );
  }

  @RequireRole('ops')
  @Mutation(() => ReservationModel, {
    description: 'The units were used: they leave stock. Refused once expired or closed.',
  })
  async consumeReservation(
    @Args('id', { type: () => ID }) rid: string,
    @Args('site', { type: () => String, nullable: true }) site: string | null,
    @Args('reason', { type: () => String, nullable: true }) reason: string | null,
    @CurrentPrincipal() principal: Principal | null,
  ): Promise<ReservationModel> {
    return toReservationModel(
      await this.inventory.consume(id(rid, 'id'), actorOf(principal), { site, reason }),
    );
  }

  @RequireRole('ops')
  @Mutation(() => ReservationModel, { description: 'Sets a held reservation to expire later.' })
  async extendReservation(
    @Args('id', { type: () => ID }) rid: string,
    @Args('expiresIn') expiresIn: string,
    @CurrentPrincipal() principal: Principal | null,
  ): Promise<ReservationModel> {
    return toReservationModel(
      await this.inventory.extend(id(rid, 'id'), expiresIn, actorOf(principal)),
    );
  }
}

@Resolver(() => StockAlertModel)
export class StockAlertResolver {
  constructor(private readonly inventory: InventoryService) {}

  @ResolveField(() => PartModel)
  async part(@Parent() a: StockAlertModel, @Context() ctx: object): Promise<PartModel> {
    const p = await loaders(ctx, this.inventory).part.load(a.partId);
    if (!p) throw new Error(`part ${a.partId} of alert ${a.id} is missing`);
    return toPartModel(p);
  }
}
