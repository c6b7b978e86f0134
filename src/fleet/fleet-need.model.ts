import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

@ObjectType('FleetNeed', {
  description: 'What procurement wants to buy: nodes and per-node minimums.',
})
export class FleetNeedModel {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field(() => Int, { description: 'Nodes wanted.' })
  quantity!: number;

  @Field(() => Int, { nullable: true })
  minCores!: number | null;

  @Field(() => Int, { nullable: true })
  minThreads!: number | null;

  @Field(() => Int, { nullable: true })
  minRamGb!: number | null;

  @Field(() => Float, { nullable: true })
  minStorageGb!: number | null;

  @Field(() => String, { nullable: true })
  gpuModel!: string | null;

  @Field(() => Float, { nullable: true, description: 'FP32 TFLOPS per GPU.' })
  minGpuFp32Tflops!: number | null;

  @Field(() => Int, { nullable: true, description: 'VRAM per GPU.' })
  minGpuVramGb!: number | null;

  @Field(() => Int, { nullable: true })
  minGpuCount!: number | null;

  @Field(() => String, { nullable: true, description: '"1U", "2U", "tower", ...' })
  formFactor!: string | null;

  @Field(() => [String])
  allowedChassis!: string[];

  @Field(() => [String])
  allowedVendors!: string[];

  @Field(() => Float, { nullable: true, description: 'Per node, base currency.' })
  maxUnitPrice!: number | null;

  @Field(() => Float, { nullable: true })
  totalBudget!: number | null;

  @Field({ description: 'Same chassis and CPU model across the fleet (shared spares).' })
  homogeneous!: boolean;

  @Field({ description: 'Plans may include listings one RAM upgrade away.' })
  allowUpgrades!: boolean;

  @Field(() => Int, { nullable: true })
  horizonMonths!: number | null;

  @Field(() => Float, { nullable: true })
  energyPricePerKwh!: number | null;

  @Field()
  createdAt!: Date;

  @Field()
  updatedAt!: Date;
}

@InputType('FleetNeedInput')
export class FleetNeedInputGql {
  @Field()
  name!: string;

  @Field(() => Int)
  quantity!: number;

  @Field(() => Int, { nullable: true })
  minCores?: number | null;

  @Field(() => Int, { nullable: true })
  minThreads?: number | null;

  @Field(() => Int, { nullable: true })
  minRamGb?: number | null;

  @Field(() => Float, { nullable: true })
  minStorageGb?: number | null;

  @Field(() => String, { nullable: true })
  gpuModel?: string | null;

  @Field(() => Float, { nullable: true })
  minGpuFp32Tflops?: number | null;

  @Field(() => Int, { nullable: true })
  minGpuVramGb?: number | null;

  @Field(() => Int, { nullable: true })
  minGpuCount?: number | null;

  @Field(() => String, { nullable: true })
  formFactor?: string | null;

  @Field(() => [String], { nullable: true })
  allowedChassis?: string[] | null;

  @Field(() => [String], { nullable: true })
  allowedVendors?: string[] | null;

  @Field(() => Float, { nullable: true })
  maxUnitPrice?: number | null;

  @Field(() => Float, { nullable: true })
  totalBudget?: number | null;

  @Field({ nullable: true })
  homogeneous?: boolean;

  @Field({ nullable: true })
  allowUpgrades?: boolean;

  @Field(() => Int, { nullable: true })
  horizonMonths?: number | null;

  @Field(() => Float, { nullable: true })
  energyPricePerKwh?: number | null;
}

/** Every field optional: what is given replaces the stored value (null clears it). */
@InputType('FleetNeedPatch')
export class FleetNeedPatchGql {
  @Field({ nullable: true })
  name?: string;

  @Field(() => Int, { nullable: true })
  quantity?: number;

  @Field(() => Int, { nullable: true })
  minCores?: number | null;

  @Field(() => Int, { nullable: true })
  minThreads?: number | null;

  @Field(() => Int, { nullable: true })
  minRamGb?: number | null;

  @Field(() => Float, { nullable: true })
  minStorageGb?: number | null;

  @Field(() => String, { nullable: true })
  gpuModel?: string | null;

  @Field(() => Float, { nullable: true })
  minGpuFp32Tflops?: number | null;

  @Field(() => Int, { nullable: true })
  minGpuVramGb?: number | null;

  @Field(() => Int, { nullable: true })
  minGpuCount?: number | null;

  @Field(() => String, { nullable: true })
  formFactor?: string | null;

  @Field(() => [String], { nullable: true })
  allowedChassis?: string[] | null;

  @Field(() => [String], { nullable: true })
  allowedVendors?: string[] | null;

  @Field(() => Float, { nullable: true })
  maxUnitPrice?: number | null;

  @Field(() => Float, { nullable: true })
  totalBudget?: number | null;

  @Field({ nullable: true })
  homogeneous?: boolean;

  @Field({ nullable: true })
  allowUpgrades?: boolean;

  @Field(() => Int, { nullable: true })
  horizonMonths?: number | null;

  @Field(() => Float, { nullable: true })
  energyPricePerKwh?: number | null;
}

export enum PlanKindGql {
  HOMOGENEOUS = 'homogeneous',
  MIXED = 'mixed',
}
registerEnumType(PlanKindGql, { name: 'PlanKind' });

@ObjectType('PlanUpgrade', { description: 'Work needed before a listing meets the need.' })
export class PlanUpgradeModel {
  @Field({ description: '"ram"' })
  kind!: string;

  @Field(() => Int, { description: 'GB of RAM to add per node.' })
  addGb!: number;

  @Field(() => Float, { description: 'Cost per node, base currency.' })
  cost!: number;
}

@ObjectType('PlanLine', { description: 'Buy `quantity` of one listing.' })
export class PlanLineModel {
  @Field(() => ID)
  listingId!: string;

  @Field()
  title!: string;

  @Field(() => String, { nullable: true })
  chassis!: string | null;

  @Field(() => String, { nullable: true })
  cpuModel!: string | null;

  @Field(() => Int, { description: 'Listings bought.' })
  quantity!: number;

  @Field(() => Int, { description: 'Nodes they give (lots count every node).' })
  nodes!: number;

  @Field(() => Float, { description: 'Per node, upgrade included.' })
  unitPrice!: number;

  @Field(() => Float, { description: 'For this line, upgrades included.' })
  price!: number;

  @Field(() => PlanUpgradeModel, { nullable: true })
  upgrade!: PlanUpgradeModel | null;
}

@ObjectType('FleetPlan')
export class FleetPlanModel {
  @Field(() => Int, { description: '1 is the recommended plan.' })
  rank!: number;

  @Field(() => PlanKindGql)
  kind!: PlanKindGql;

  @Field(() => String, { nullable: true, description: 'Set when every line shares it.' })
  chassis!: string | null;

  @Field(() => String, { nullable: true })
  cpuModel!: string | null;

  @Field()
  satisfiable!: boolean;

  @Field(() => String, { nullable: true })
  reason!: string | null;

  @Field(() => [PlanLineModel])
  lines!: PlanLineModel[];

  @Field(() => Int)
  nodes!: number;

  @Field(() => Float)
  totalPrice!: number;

  @Field(() => Float, { description: 'Part of totalPrice spent on upgrades.' })
  upgradeCost!: number;

  @Field(() => Float, {
    nullable: true,
    description: "Over the need's horizon; null when a planned listing has no TCO.",
  })
  totalTco!: number | null;

  @Field(() => Int)
  totalCpuScore!: number;

  @Field(() => Float)
  totalGpuFp32Tflops!: number;

  @Field(() => Float, { nullable: true, description: 'Against the cheapest equivalent cloud.' })
  breakEvenMonths!: number | null;
}

@ObjectType('SpareFit', { description: 'A spare part in stock that fits a planned chassis.' })
export class SpareFitModel {
  @Field()
  chassis!: string;

  @Field()
  partNumber!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => Int)
  available!: number;
}

@ObjectType('FleetNeedPlan')
export class FleetNeedPlanModel {
  @Field(() => FleetNeedModel)
  need!: FleetNeedModel;

  @Field()
  satisfiable!: boolean;

  @Field(() => String, { nullable: true, description: 'Why no plan meets the need.' })
  reason!: string | null;

  @Field(() => [FleetPlanModel], { description: 'Best first: satisfiable, then cheapest.' })
  plans!: FleetPlanModel[];

  @Field(() => Int, {
    description: 'Listings the planner read (bounded, whatever the market size).',
  })
  candidatesConsidered!: number;

  @Field(() => [SpareFitModel], {
    nullable: true,
    description: 'Spare parts in inventory that fit the planned chassis; null without inventory.',
  })
  spares!: SpareFitModel[] | null;
}
