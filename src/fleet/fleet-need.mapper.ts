import type { FleetNeed } from './fleet-need';
import type { FleetNeedPlan } from './fleet-needs.service';
import type { FleetPlan } from './fleet-plan';
import {
  type FleetNeedModel,
  type FleetNeedPlanModel,
  type FleetPlanModel,
  PlanKindGql,
} from './fleet-need.model';

export function toFleetNeedModel(n: FleetNeed): FleetNeedModel {
  const { ownerKeyId: _owner, ...rest } = n;
  return { ...rest, id: String(n.id) };
}

function toPlanModel(p: FleetPlan, index: number): FleetPlanModel {
  return {
    rank: index + 1,
    kind: p.kind === 'mixed' ? PlanKindGql.MIXED : PlanKindGql.HOMOGENEOUS,
    chassis: p.chassis,
    cpuModel: p.cpuModel,
    satisfiable: p.satisfiable,
    reason: p.reason,
    nodes: p.nodes,
    totalPrice: p.totalPrice,
    upgradeCost: p.upgradeCost,
    totalTco: p.totalTco,
    totalCpuScore: p.totalCpuScore,
    totalGpuFp32Tflops: p.totalGpuFp32Tflops,
    breakEvenMonths: p.breakEvenMonths,
    lines: p.lines.map((l) => ({
      listingId: String(l.candidate.listingId),
      title: l.candidate.title,
      chassis: l.candidate.chassis,
      cpuModel: l.candidate.cpuModel,
      quantity: l.quantity,
      nodes: l.nodes,
      unitPrice: Math.round(l.unitPrice * 100) / 100,
      price: Math.round(l.price * 100) / 100,
      upgrade: l.candidate.upgrade,
    })),
  };
}

export function toFleetNeedPlanModel(r: FleetNeedPlan): FleetNeedPlanModel {
  return {
    need: toFleetNeedModel(r.need),
    satisfiable: r.satisfiable,
    reason: r.reason,
    plans: r.plans.map(toPlanModel),
    candidatesConsidered: r.candidatesConsidered,
    spares: r.spares,
  };
}
