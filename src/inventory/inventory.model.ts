import {
  ArgsType,
  Field,
  Float,
  ID,
  InputType,
  Int,
  ObjectType,
  registerEnumType,
} from '@nestjs/graphql';

export enum ReservationStatusGql {
  HELD = 'held',
  CONSUMED = 'consumed',
  RELEASED = 'released',
  EXPIRED = 'expired',
}
registerEnumType(ReservationStatusGql, { name: 'ReservationStatus' });

export enum ReservationForKindGql {
  TICKET = 'ticket',
  HOST = 'host',
  FLEET_NEED = 'fleet_need',
  OTHER = 'other',
}
registerEnumType(ReservationForKindGql, {
  name: 'ReservationForKind',
  description: 'What a reservation is for: a ticket, a server hostname, a fleet need.',
});

@ObjectType('SiteMinimum')
export class SiteMinimumModel {
  @Field()
  site!: string;

  @Field(() => Int)
  minimum!: number;
}

@ObjectType('Part', { description: 'A spare part and every number it is known by.' })
export class PartModel {
  @Field(() => ID)
  id!: string;

  @Field()
  partNumber!: string;

  @Field(() => String, { nullable: true })
  manufacturer!: string | null;

  @Field(() => [String], { description: 'Other part numbers (FRU, spare, OEM numbers).' })
  aliases!: string[];

  @Field({ description: 'psu, dimm, drive, fan, backplane, raid, nic, gpu, ...' })
  kind!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => [String])
  compatibleChassis!: string[];

  @Field(() => Int, { description: 'Minimum available units per site (unless overridden).' })
  minStock!: number;

  @Field(() => [SiteMinimumModel])
  minStockBySite!: SiteMinimumModel[];

  @Field()
  serialTracked!: boolean;
}

@ObjectType('StockLocation')
export class StockLocationModel {
  @Field(() => ID)
  id!: string;

  @Field()
  site!: string;

  @Field()
  room!: string;

  @Field()
  rack!: string;

  @Field()
  bin!: string;

  @Field({ description: 'site/room/rack/bin' })
  label!: string;
}

@ObjectType('StockLevel')
export class StockLevelModel {
  @Field(() => StockLocationModel)
  location!: StockLocationModel;

  @Field(() => Int)
  onHand!: number;

  @Field(() => Int)
  reserved!: number;

  @Field(() => Int, { description: 'onHand - reserved' })
  available!: number;
}

@ObjectType('SiteStock')
export class SiteStockModel {
  @Field()
  site!: string;

  @Field(() => Int)
  onHand!: number;

  @Field(() => Int)
  reserved!: number;

  @Field(() => Int)
  available!: number;

  @Field(() => Int)
  minimum!: number;

  @Field()
  belowMinimum!: boolean;
}

@ObjectType('Stock', { description: 'A part’s stock, per location and per site.' })
export class StockModel {
  @Field(() => PartModel)
  part!: PartModel;

  @Field(() => Int)
  onHand!: number;

  @Field(() => Int)
  reserved!: number;

  @Field(() => Int)
  available!: number;

  @Field(() => [SiteStockModel])
  sites!: SiteStockModel[];

  @Field(() => [StockLevelModel])
  levels!: StockLevelModel[];
}

@ObjectType('ReservationFor')
export class ReservationForModel {
  @Field(() => ReservationForKindGql)
  kind!: ReservationForKindGql;

  @Field({ description: 'Ticket id, hostname or fleet need id.' })
  ref!: string;

  @Field(() => String, { nullable: true })
  note!: string | null;
}

@ObjectType('ReservationLine', { description: 'Units a reservation holds at one location.' })
export class ReservationLineModel {
  @Field(() => ID)
  locationId!: string;

  @Field(() => Int)
  quantity!: number;
}

@ObjectType('Reservation')
export class ReservationModel {
  @Field(() => ID)
  id!: string;

  /** Internal: resolves `part`. */
  partId!: number;

  @Field()
  site!: string;

  @Field(() => ID, { nullable: true, description: 'The location asked for, if any.' })
  locationId!: string | null;

  @Field(() => Int)
  quantity!: number;

  @Field(() => ReservationForModel, { name: 'for' })
  purpose!: ReservationForModel;

  @Field({ description: 'Who reserved (API key name).' })
  actor!: string;

  @Field(() => ReservationStatusGql)
  status!: ReservationStatusGql;

  @Field()
  expiresAt!: Date;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  closedAt!: Date | null;

  @Field(() => String, { nullable: true })
  closedBy!: string | null;

  @Field(() => String, { nullable: true })
  idempotencyKey!: string | null;
}

@ObjectType('StockMovement', { description: 'One change of a stock level (append-only).' })
export class StockMovementModel {
  @Field(() => ID)
  id!: string;

  @Field()
  at!: Date;

  @Field({ description: 'receive, reserve, release, consume, adjust, transfer, expire' })
  kind!: string;

  @Field(() => ID)
  partId!: string;

  @Field(() => ID)
  locationId!: string;

  @Field(() => Int)
  onHandDelta!: number;

  @Field(() => Int)
  reservedDelta!: number;

  @Field(() => ID, { nullable: true })
  reservationId!: string | null;

  @Field()
  actor!: string;

  @Field(() => String, { nullable: true })
  reason!: string | null;

  @Field(() => String, { nullable: true })
  reference!: string | null;

  @Field(() => [String], { nullable: true })
  serials!: string[] | null;
}

@ObjectType('SparesCoverage')
export class SparesCoverageModel {
  @Field(() => PartModel)
  part!: PartModel;

  @Field(() => Int)
  totalAvailable!: number;

  @Field(() => [SiteStockModel])
  sites!: SiteStockModel[];
}

@ObjectType('SourcingSuggestion', { description: 'An active listing that matches a part.' })
export class SourcingSuggestionModel {
  @Field(() => ID)
  listingId!: string;

  @Field()
  title!: string;

  @Field(() => String, { nullable: true })
  url!: string | null;

  @Field(() => String, { nullable: true })
  currency!: string | null;

  @Field(() => Float, { nullable: true })
  price!: number | null;

  @Field(() => Float, { nullable: true, description: 'Price + shipping in the base currency.' })
  effectivePrice!: number | null;

  @Field(() => String, { nullable: true })
  seller!: string | null;

  @Field(() => String, { nullable: true })
  condition!: string | null;

  @Field({ description: 'part_number (the normalizer found it) or title' })
  matchedBy!: string;
}

@ObjectType('StockAlert', { description: 'Available stock of a part at a site below its minimum.' })
export class StockAlertModel {
  @Field(() => ID)
  id!: string;

  /** Internal: resolves `part`. */
  partId!: number;

  @Field()
  site!: string;

  @Field(() => Int)
  available!: number;

  @Field(() => Int)
  minimum!: number;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  notifiedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  resolvedAt!: Date | null;
}

@ObjectType('InventoryCheck')
export class InventoryCheckModel {
  @Field()
  ok!: boolean;

  @Field(() => Int)
  levels!: number;

  @Field(() => Int)
  movements!: number;

  @Field(() => Int)
  reservations!: number;

  @Field(() => [String])
  problems!: string[];
}

// ------------------------------------------------------------------ inputs

@InputType('SiteMinimumInput')
export class SiteMinimumInput {
  @Field()
  site!: string;

  @Field(() => Int)
  minimum!: number;
}

@InputType('CreatePartInput')
export class CreatePartInput {
  @Field()
  partNumber!: string;

  @Field(() => String, { nullable: true })
  manufacturer?: string | null;

  @Field(() => [String], { nullable: true })
  aliases?: string[] | null;

  @Field()
  kind!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => [String], { nullable: true })
  compatibleChassis?: string[] | null;

  @Field(() => Int, { nullable: true })
  minStock?: number | null;

  @Field(() => [SiteMinimumInput], { nullable: true })
  minStockBySite?: SiteMinimumInput[] | null;

  @Field(() => Boolean, { nullable: true })
  serialTracked?: boolean | null;
}

@InputType('UpdatePartInput', { description: 'Fields left out keep their value.' })
export class UpdatePartInput {
  @Field(() => String, { nullable: true })
  partNumber?: string | null;

  @Field(() => String, { nullable: true })
  manufacturer?: string | null;

  @Field(() => [String], { nullable: true })
  aliases?: string[] | null;

  @Field(() => String, { nullable: true })
  kind?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => [String], { nullable: true })
  compatibleChassis?: string[] | null;

  @Field(() => Int, { nullable: true })
  minStock?: number | null;

  @Field(() => [SiteMinimumInput], { nullable: true })
  minStockBySite?: SiteMinimumInput[] | null;

  @Field(() => Boolean, { nullable: true })
  serialTracked?: boolean | null;
}

@InputType('StockLocationInput')
export class StockLocationInput {
  @Field()
  site!: string;

  @Field(() => String, { nullable: true })
  room?: string | null;

  @Field(() => String, { nullable: true })
  rack?: string | null;

  @Field(() => String, { nullable: true })
  bin?: string | null;
}

@InputType('ReservationForInput')
export class ReservationForInput {
  @Field(() => ReservationForKindGql)
  kind!: ReservationForKindGql;

  @Field({ description: 'Ticket id, server hostname or fleet need id.' })
  ref!: string;

  @Field(() => String, { nullable: true })
  note?: string | null;
}

@InputType('ReservationFilter')
export class ReservationFilterInput {
  @Field(() => String, { nullable: true })
  partNumber?: string | null;

  @Field(() => String, { nullable: true })
  site?: string | null;

  @Field(() => [ReservationStatusGql], { nullable: true })
  statuses?: ReservationStatusGql[] | null;

  @Field(() => ReservationForKindGql, { nullable: true })
  forKind?: ReservationForKindGql | null;

  @Field(() => String, { nullable: true })
  forRef?: string | null;

  @Field(() => String, { nullable: true })
  actor?: string | null;

  @Field(() => Date, { nullable: true })
  expiringBefore?: Date | null;
}

@ArgsType()
export class ReservePartArgs {
  @Field()
  partNumber!: string;

  @Field(() => Int)
  quantity!: number;

  @Field()
  site!: string;

  @Field(() => ID, { nullable: true, description: 'A location at the site; any when omitted.' })
  locationId?: string | null;

  @Field(() => ReservationForInput)
  for!: ReservationForInput;

  @Field(() => String, {
    nullable: true,
    description: 'Duration such as "72h", "30m", "2d" or ISO "PT4H"; default from config.',
  })
  expiresIn?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Replaying a key returns the same reservation and changes nothing.',
  })
  idempotencyKey?: string | null;
}
