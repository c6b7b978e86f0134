/**
 * Purchase planning over a bounded candidate set (the repository selects it in SQL): greedy fill
 * by price per node, per (chassis, CPU model) group for homogeneous plans and across groups for a
 * mixed plan. Pure functions, no I/O.
 */

/** One listing that meets the per-node minimums (possibly after a RAM upgrade). */
export interface PlanCandidate {
  listingId: number;
  title: string;
  chassis: string | null;
  cpuModel: string | null;
  /** Nodes per listing (a "lot of 4" is 4). */
  lotQuantity: number;
  /** How many of this listing can be bought (quantity_available, 1 when unknown). */
  available: number;
  /** Price of one listing (the whole lot), base currency, shipping included. */
  effectivePrice: number;
  /** TCO of one listing over the valuation horizon; null when unknown. */
  tco: number | null;
  /** Per node. */
  cpuScore: number | null;
  /** Per node, all GPUs. */
  gpuFp32Tflops: number | null;
  breakEvenMonths: number | null;
  estimatedWatts: number | null;
  annualEnergyCost: number | null;
  /** RAM to add per node to meet the need, and its cost per node. */
  upgrade: { kind: 'ram'; addGb: number; cost: number } | null;
}

export interface PlanLine {
  candidate: PlanCandidate;
  /** Listings bought. */
  quantity: number;
  /** Nodes those listings give. */
  nodes: number;
  /** Per node, upgrade included. */
  unitPrice: number;
  /** quantity x (listing price + upgrade for every node of the lot). */
  price: number;
  upgradeCost: number;
}

export interface FleetPlan {
  kind: 'homogeneous' | 'mixed';
  chassis: string | null;
  cpuModel: string | null;
  satisfiable: boolean;
  reason: string | null;
  lines: PlanLine[];
  nodes: number;
  totalPrice: number;
  upgradeCost: number;
  /** Null when any planned listing has no TCO (see tcoUnknownListings). */
  totalTco: number | null;
  tcoUnknownListings: number;
  totalCpuScore: number;
  totalGpuFp32Tflops: number;
  /** Months until owning beats renting the same capacity in the cloud; null when unknown. */
  breakEvenMonths: number | null;
}

export interface PlanNeed {
  quantity: number;
  maxUnitPrice: number | null;
  totalBudget: number | null;
  homogeneous: boolean;
}

/** How a listing's stored TCO (valuation horizon and energy price) is restated for the need. */
export interface TcoBasis {
  horizonMonths: number;
  energyPricePerKwh: number;
  pue: number;
  hoursPerMonth: number;
  needHorizonMonths: number | null;
  needEnergyPricePerKwh: number | null;
}

export interface PlanResult {
  satisfiable: boolean;
  reason: string | null;
  plans: FleetPlan[];
}

export const MAX_ALTERNATIVES = 10;

export const unitPriceOf = (c: PlanCandidate): number =>
  c.effectivePrice / c.lotQuantity + (c.upgrade?.cost ?? 0);

/** Cost of one listing with its upgrades (every node of the lot). */
const listingPrice = (c: PlanCandidate): number =>
  c.effectivePrice + (c.upgrade?.cost ?? 0) * c.lotQuantity;

/**
 * Cheapest fill of `quantity` nodes from `candidates` (any order): repeatedly takes the listing
 * with the lowest price per node still needed, so a large lot is not bought for the last node
 * when a single server is cheaper. Bounded: O(n^2) over at most a few hundred candidates.
 */
export function greedyFill(candidates: readonly PlanCandidate[], quantity: number): PlanLine[] {
  const left = new Map<number, number>(candidates.map((c) => [c.listingId, c.available]));
  const lines = new Map<number, PlanLine>();
  let remaining = quantity;
  while (remaining > 0) {
    let best: PlanCandidate | null = null;
    let bestCost = Infinity;
    for (const c of candidates) {
      if ((left.get(c.listingId) ?? 0) <= 0) continue;
      const cost = listingPrice(c) / Math.min(c.lotQuantity, remaining);
      if (cost < bestCost || (cost === bestCost && best && c.listingId < best.listingId)) {
        best = c;
        bestCost = cost;
      }
    }
    if (!best) break;
    const avail = left.get(best.listingId) ?? 0;
    const take = Math.max(1, Math.min(avail, Math.floor(remaining / best.lotQuantity)));
    left.set(best.listingId, avail - take);
    remaining -= take * best.lotQuantity;
    const line = lines.get(best.listingId);
    const upgradeCost = (best.upgrade?.cost ?? 0) * best.lotQuantity * take;
    if (line) {
      line.quantity += take;
      line.nodes += take * best.lotQuantity;
      line.price += take * listingPrice(best);
      line.upgradeCost += upgradeCost;
    } else {
      lines.set(best.listingId, {
        candidate: best,
        quantity: take,
        nodes: take * best.lotQuantity,
        unitPrice: unitPriceOf(best),
        price: take * listingPrice(best),
        upgradeCost,
      });
    }
  }
  return [...lines.values()];
}

/** The listing's TCO restated for the need's horizon and energy price. */
export function tcoForNeed(c: PlanCandidate, basis: TcoBasis): number | null {
  if (c.tco === null) return null;
  const h0 = basis.horizonMonths;
  const h = basis.needHorizonMonths ?? h0;
  const p = basis.needEnergyPricePerKwh ?? basis.energyPricePerKwh;
  if (h === h0 && p === basis.energyPricePerKwh) return c.tco;
  const energyH0 = ((c.annualEnergyCost ?? 0) * h0) / 12;
  const energyMonthly =
    c.estimatedWatts !== null
      ? ((c.estimatedWatts * c.lotQuantity * basis.pue * basis.hoursPerMonth) / 1000) * p
      : basis.energyPricePerKwh > 0
        ? (((c.annualEnergyCost ?? 0) / 12) * p) / basis.energyPricePerKwh
        : 0;
  // Everything that is not the purchase or energy is treated as running cost (colocation,
  // operations) and scales with the horizon.
  const running = Math.max(0, c.tco - c.effectivePrice - energyH0);
  return c.effectivePrice + (running * h) / h0 + energyMonthly * h;
}

export function summarize(
  kind: FleetPlan['kind'],
  lines: PlanLine[],
  basis: TcoBasis,
): Omit<FleetPlan, 'satisfiable' | 'reason'> {
  let totalPrice = 0;
  let upgradeCost = 0;
  let tco = 0;
  let tcoUnknown = 0;
  let cpu = 0;
  let tflops = 0;
  let nodes = 0;
  let bePrice = 0;
  let beSavings = 0;
  for (const l of lines) {
    const c = l.candidate;
    totalPrice += l.price;
    upgradeCost += l.upgradeCost;
    nodes += l.nodes;
    const t = tcoForNeed(c, basis);
    if (t === null) tcoUnknown += l.quantity;
    else tco += l.quantity * t + l.upgradeCost;
    cpu += (c.cpuScore ?? 0) * l.nodes;
    tflops += (c.gpuFp32Tflops ?? 0) * l.nodes;
    if (c.breakEvenMonths !== null && c.breakEvenMonths > 0) {
      // break-even = price / monthly saving, so the fleet's is sum(price) / sum(saving)
      bePrice += l.price;
      beSavings += l.price / c.breakEvenMonths;
    }
  }
  const first = lines[0]?.candidate;
  const same = (f: (c: PlanCandidate) => string | null) =>
    first && lines.every((l) => f(l.candidate) === f(first)) ? f(first) : null;
  return {
    kind,
    chassis: same((c) => c.chassis),
    cpuModel: same((c) => c.cpuModel),
    lines,
    nodes,
    totalPrice: round2(totalPrice),
    upgradeCost: round2(upgradeCost),
    totalTco: tcoUnknown > 0 ? null : round2(tco),
    tcoUnknownListings: tcoUnknown,
    totalCpuScore: Math.round(cpu),
    totalGpuFp32Tflops: round2(tflops),
    breakEvenMonths: beSavings > 0 ? Math.round((bePrice / beSavings) * 10) / 10 : null,
  };
}

/**
 * Ranked plans for a need: the best homogeneous plan per (chassis, CPU model) group and, when the
 * need allows mixing, the cheapest mixed plan. Satisfiable plans first, cheapest first; when none
 * is satisfiable the result says why.
 */
export function planNeed(
  need: PlanNeed,
  candidates: readonly PlanCandidate[],
  basis: TcoBasis,
  money: (n: number) => string,
): PlanResult {
  const groups = new Map<string, PlanCandidate[]>();
  for (const c of candidates) {
    const key = `${c.chassis ?? '?'}\u0000${c.cpuModel ?? '?'}`;
    const list = groups.get(key);
    if (list) list.push(c);
    else groups.set(key, [c]);
  }
  const plans: FleetPlan[] = [];
  for (const [, list] of groups) {
    // Unknown chassis or CPU cannot promise shared spares.
    if (list[0]?.chassis === null || list[0]?.cpuModel === null) continue;
    plans.push(
      judge(summarize('homogeneous', greedyFill(list, need.quantity), basis), need, money),
    );
  }
  if (!need.homogeneous) {
    plans.push(
      judge(summarize('mixed', greedyFill(candidates, need.quantity), basis), need, money),
    );
  }
  const capped = (p: FleetPlan) => Math.min(p.nodes, need.quantity);
  plans.sort(
    (a, b) =>
      Number(b.satisfiable) - Number(a.satisfiable) ||
      (a.satisfiable ? 0 : capped(b) - capped(a)) ||
      a.totalPrice - b.totalPrice ||
      (a.kind === b.kind ? 0 : a.kind === 'homogeneous' ? -1 : 1),
  );
  const ranked = plans.slice(0, MAX_ALTERNATIVES);
  const best = ranked[0];
  if (best?.satisfiable) return { satisfiable: true, reason: null, plans: ranked };
  return { satisfiable: false, reason: whyNot(need, candidates, best, money), plans: ranked };
}

function judge(
  plan: Omit<FleetPlan, 'satisfiable' | 'reason'>,
  need: PlanNeed,
  money: (n: number) => string,
): FleetPlan {
  if (plan.nodes < need.quantity) {
    return { ...plan, satisfiable: false, reason: `only ${plan.nodes} of ${need.quantity} nodes` };
  }
  if (need.totalBudget !== null && plan.totalPrice > need.totalBudget) {
    return {
      ...plan,
      satisfiable: false,
      reason: `costs ${money(plan.totalPrice)}, over the budget of ${money(need.totalBudget)}`,
    };
  }
  return { ...plan, satisfiable: true, reason: null };
}

function whyNot(
  need: PlanNeed,
  candidates: readonly PlanCandidate[],
  best: FleetPlan | undefined,
  money: (n: number) => string,
): string {
  const under = need.maxUnitPrice !== null ? ` under ${money(need.maxUnitPrice)}/unit` : '';
  const total = candidates.reduce((n, c) => n + c.available * c.lotQuantity, 0);
  if (total === 0) return `no listing matches the need${under}`;
  if (total < need.quantity) {
    return `only ${total} of ${need.quantity} nodes available${under}`;
  }
  if (need.homogeneous && best && best.nodes < need.quantity) {
    return (
      `no single chassis and CPU model offers ${need.quantity} nodes${under}: the largest group, ` +
      `${best.chassis ?? '?'} / ${best.cpuModel ?? '?'}, has ${best.nodes}`
    );
  }
  if (need.totalBudget !== null && best) {
    return `budget ${money(need.totalBudget)} exceeded: cheapest is ${money(best.totalPrice)}`;
  }
  return best?.reason ?? 'no plan meets the need';
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
