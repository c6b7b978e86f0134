import {
  type PlanCandidate,
  type PlanNeed,
  type TcoBasis,
  greedyFill,
  planNeed,
  summarize,
  tcoForNeed,
  unitPriceOf,
} from './fleet-plan';

let nextId = 1;
function cand(over: Partial<PlanCandidate> = {}): PlanCandidate {
  return {
    listingId: nextId++,
    title: 'server',
    chassis: 'R740',
    cpuModel: 'Gold 6148',
    lotQuantity: 1,
    available: 1,
    effectivePrice: 1000,
    tco: null,
    cpuScore: 1000,
    gpuFp32Tflops: null,
    breakEvenMonths: null,
    estimatedWatts: null,
    annualEnergyCost: null,
    upgrade: null,
    ...over,
  };
}

const basis: TcoBasis = {
  horizonMonths: 36,
  energyPricePerKwh: 0.15,
  pue: 1.5,
  hoursPerMonth: 730,
  needHorizonMonths: null,
  needEnergyPricePerKwh: null,
};
const money = (n: number) => `$${n}`;
const need = (over: Partial<PlanNeed> = {}): PlanNeed => ({
  quantity: 2,
  maxUnitPrice: null,
  totalBudget: null,
  homogeneous: true,
  ...over,
});

describe('greedyFill', () => {
  it('takes the cheapest nodes first and respects available quantity', () => {
    const a = cand({ effectivePrice: 900, available: 2 });
    const b = cand({ effectivePrice: 800, available: 1 });
    const c = cand({ effectivePrice: 2000, available: 5 });
    const lines = greedyFill([c, a, b], 3);
    expect(lines.map((l) => [l.candidate.listingId, l.quantity])).toEqual([
      [b.listingId, 1],
      [a.listingId, 2],
    ]);
    expect(lines.reduce((n, l) => n + l.price, 0)).toBe(2600);
  });

  it('stops short when supply runs out', () => {
    const lines = greedyFill([cand({ available: 2 })], 5);
    expect(lines.reduce((n, l) => n + l.nodes, 0)).toBe(2);
  });

  it('buys a lot for many nodes but not for the last node when a single is cheaper', () => {
    const lot = cand({ lotQuantity: 4, effectivePrice: 2000, available: 3 }); // 500/node
    const single = cand({ effectivePrice: 900, available: 3 });
    const lines = greedyFill([lot, single], 5);
    const byId = new Map(lines.map((l) => [l.candidate.listingId, l]));
    expect(byId.get(lot.listingId)?.nodes).toBe(4);
    expect(byId.get(single.listingId)?.nodes).toBe(1);
    expect(lines.reduce((n, l) => n + l.price, 0)).toBe(2900);
  });

  it('counts a RAM upgrade for every node of the listing', () => {
    const up = cand({
      lotQuantity: 2,
      effectivePrice: 1000,
      upgrade: { kind: 'ram', addGb: 64, cost: 100 },
    });
    expect(unitPriceOf(up)).toBe(600);
    const [line] = greedyFill([up], 2);
    expect(line).toMatchObject({ quantity: 1, nodes: 2, price: 1200, upgradeCost: 200 });
  });
});

describe('planNeed', () => {
  it('keeps a homogeneous plan within one chassis and CPU model', () => {
    const cheapMixed = [
      cand({ chassis: 'R740', cpuModel: 'Gold 6148', effectivePrice: 500 }),
      cand({ chassis: 'DL380 Gen10', cpuModel: 'Gold 6148', effectivePrice: 500 }),
    ];
    const same = cand({
      chassis: 'R640',
      cpuModel: 'Gold 6130',
      effectivePrice: 700,
      available: 2,
    });
    const r = planNeed(need({ quantity: 2 }), [...cheapMixed, same], basis, money);
    expect(r.satisfiable).toBe(true);
    expect(r.plans[0]).toMatchObject({
      kind: 'homogeneous',
      chassis: 'R640',
      cpuModel: 'Gold 6130',
      totalPrice: 1400,
      nodes: 2,
    });
    expect(r.plans.some((p) => p.kind === 'mixed')).toBe(false);
  });

  it('offers a cheaper mixed plan when mixing is allowed', () => {
    const r = planNeed(
      need({ quantity: 2, homogeneous: false }),
      [
        cand({ chassis: 'R740', effectivePrice: 500 }),
        cand({ chassis: 'DL380 Gen10', effectivePrice: 500 }),
        cand({ chassis: 'R640', effectivePrice: 700, available: 2 }),
      ],
      basis,
      money,
    );
    expect(r.plans[0]).toMatchObject({ kind: 'mixed', totalPrice: 1000, chassis: null });
  });

  it('never plans a homogeneous group of unknown chassis', () => {
    const r = planNeed(need({ quantity: 1 }), [cand({ chassis: null })], basis, money);
    expect(r.satisfiable).toBe(false);
    expect(r.plans).toHaveLength(0);
  });

  it('refuses a plan over the budget and says why', () => {
    const r = planNeed(
      need({ quantity: 2, totalBudget: 1500 }),
      [cand({ effectivePrice: 1000, available: 2 })],
      basis,
      money,
    );
    expect(r.satisfiable).toBe(false);
    expect(r.reason).toBe('budget $1500 exceeded: cheapest is $2000');
    expect(r.plans[0]?.reason).toContain('over the budget');
  });

  it('says how many nodes exist when supply is short', () => {
    const r = planNeed(need({ quantity: 5 }), [cand({ available: 3 })], basis, money);
    expect(r.satisfiable).toBe(false);
    expect(r.reason).toBe('only 3 of 5 nodes available');
  });

  it('says no single group is large enough for a homogeneous need', () => {
    const r = planNeed(
      need({ quantity: 3 }),
      [cand({ chassis: 'R740', available: 2 }), cand({ chassis: 'R640', available: 2 })],
      basis,
      money,
    );
    expect(r.satisfiable).toBe(false);
    expect(r.reason).toMatch(/^no single chassis and CPU model offers 3 nodes/);
  });

  it('marks the upgrade cost in the plan', () => {
    const r = planNeed(
      need({ quantity: 1 }),
      [cand({ effectivePrice: 800, upgrade: { kind: 'ram', addGb: 128, cost: 150 } })],
      basis,
      money,
    );
    expect(r.plans[0]).toMatchObject({ totalPrice: 950, upgradeCost: 150 });
    expect(r.plans[0]?.lines[0]?.candidate.upgrade).toEqual({ kind: 'ram', addGb: 128, cost: 150 });
  });
});

describe('summarize and tcoForNeed', () => {
  it('sums TCO, CPU score and break-even over the lines', () => {
    const a = cand({ effectivePrice: 1000, tco: 3000, cpuScore: 100, breakEvenMonths: 10 });
    const b = cand({ effectivePrice: 2000, tco: 5000, cpuScore: 300, breakEvenMonths: 20 });
    const s = summarize('mixed', greedyFill([a, b], 2), basis);
    expect(s).toMatchObject({ totalPrice: 3000, totalTco: 8000, totalCpuScore: 400 });
    // sum(price) / sum(price / months) = 3000 / (100 + 100)
    expect(s.breakEvenMonths).toBe(15);
  });

  it('has no total TCO when a line has none', () => {
    const s = summarize('mixed', greedyFill([cand({ tco: null })], 1), basis);
    expect(s.totalTco).toBeNull();
    expect(s.tcoUnknownListings).toBe(1);
  });

  it('restates TCO for a longer horizon and another energy price', () => {
    // 36 months: price 1000 + energy 360 (10/month) + running 720 (20/month)
    const c = cand({ effectivePrice: 1000, tco: 2080, annualEnergyCost: 120 });
    expect(tcoForNeed(c, basis)).toBe(2080);
    const longer = { ...basis, needHorizonMonths: 72 };
    expect(tcoForNeed(c, longer)).toBeCloseTo(1000 + 20 * 72 + 10 * 72, 6);
    const dearer = { ...basis, needEnergyPricePerKwh: 0.3 };
    expect(tcoForNeed(c, dearer)).toBeCloseTo(1000 + 20 * 36 + 20 * 36, 6);
  });
});
