import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SqlParams, rowsOf } from '../common/sql';
import type { FleetNeed, FleetNeedFields } from './fleet-need';
import type { PlanCandidate } from './fleet-plan';

/** Column of each stored field (camelCase field -> snake_case column). */
const COLUMNS: Record<keyof FleetNeedFields, string> = {
  name: 'name',
  quantity: 'quantity',
  minCores: 'min_cores',
  minThreads: 'min_threads',
  minRamGb: 'min_ram_gb',
  minStorageGb: 'min_storage_gb',
  gpuModel: 'gpu_model',
  minGpuFp32Tflops: 'min_gpu_fp32_tflops',
  minGpuVramGb: 'min_gpu_vram_gb',
  minGpuCount: 'min_gpu_count',
  formFactor: 'form_factor',
  allowedChassis: 'allowed_chassis',
  allowedVendors: 'allowed_vendors',
  maxUnitPrice: 'max_unit_price',
  totalBudget: 'total_budget',
  homogeneous: 'homogeneous',
  allowUpgrades: 'allow_upgrades',
  horizonMonths: 'horizon_months',
  energyPricePerKwh: 'energy_price_per_kwh',
};

const SELECT = `id, ${Object.entries(COLUMNS)
  .map(([f, c]) => `${c} AS "${f}"`)
  .join(', ')}, owner_key_id AS "ownerKeyId", created_at AS "createdAt", updated_at AS "updatedAt"`;

/** Per-node minimums and limits as the candidate query applies them. */
export interface CandidateQuery {
  need: FleetNeed;
  /** Exact chassis values (catalog models and the caller's spellings) when the need restricts. */
  chassis: string[];
  /** Chassis whose DIMM slots reach minRamGb, with the RAM price per GB for each. */
  ramUpgrades: Array<{ chassis: string; pricePerGb: number }>;
  /** Rows kept per (chassis, CPU model) group are those needed to reach this many nodes. */
  nodesPerGroup: number;
  /** Groups kept (best first). */
  maxGroups: number;
  /** Cheapest rows across groups kept for the mixed plan, up to this many nodes. */
  mixedNodes: number;
}

@Injectable()
export class FleetNeedsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(limit: number): Promise<FleetNeed[]> {
    return this.db.query(`SELECT ${SELECT} FROM fleet_need ORDER BY id LIMIT $1`, [limit]);
  }

  async byId(id: number): Promise<FleetNeed | null> {
    const rows: FleetNeed[] = await this.db.query(
      `SELECT ${SELECT} FROM fleet_need WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  async insert(fields: FleetNeedFields, ownerKeyId: number | null): Promise<FleetNeed> {
    const p = new SqlParams();
    const cols = Object.keys(COLUMNS) as Array<keyof FleetNeedFields>;
    const rows: FleetNeed[] = await this.db.query(
      `INSERT INTO fleet_need (${cols.map((c) => COLUMNS[c]).join(', ')}, owner_key_id)
       VALUES (${cols.map((c) => p.param(fields[c])).join(', ')}, ${p.param(ownerKeyId)})
       RETURNING ${SELECT}`,
      p.values,
    );
    return rows[0]!;
  }

  async update(id: number, fields: FleetNeedFields): Promise<FleetNeed | null> {
    const p = new SqlParams();
    const cols = Object.keys(COLUMNS) as Array<keyof FleetNeedFields>;
    const result: unknown = await this.db.query(
      `UPDATE fleet_need SET ${cols.map((c) => `${COLUMNS[c]} = ${p.param(fields[c])}`).join(', ')},
         updated_at = now()
       WHERE id = ${p.param(id)} RETURNING ${SELECT}`,
      p.values,
    );
    return rowsOf<FleetNeed>(result)[0] ?? null;
  }

  async delete(id: number): Promise<FleetNeed | null> {
    const result: unknown = await this.db.query(
      `DELETE FROM fleet_need WHERE id = $1 RETURNING ${SELECT}`,
      [id],
    );
    return rowsOf<FleetNeed>(result)[0] ?? null;
  }

  /**
   * Candidate listings for a plan, in one bounded statement:
   *  1. the distinct (chassis, CPU model) groups, by a skip scan of listing_plan_candidates_idx
   *     (one index probe per group, not a scan of every listing);
   *  2. per group, at most `perGroupRows` rows in effective price order from that index, in three
   *     slices so lots and RAM upgrades are not crowded out by single servers: single listings
   *     meeting the RAM minimum (their price per node is the listing price, so the first N rows
   *     always hold the cheapest N nodes), lots, and single listings one RAM upgrade away; plus,
   *     for a mixed plan, the cheapest rows of unknown chassis or CPU;
   *  3. over that bounded set: the price per node with any upgrade, a running node count per group
   *     that keeps only the rows a group needs, the best `maxGroups` groups, and the cheapest rows
   *     across groups for the mixed plan.
   * Reads at most groups x 3 x perGroupRows index entries that pass the filters, however many
   * listings match; no sort of every matching listing.
   */
  async candidates(q: CandidateQuery): Promise<PlanCandidate[]> {
    const n = q.need;
    const p = new SqlParams();
    // Same predicate as listing_plan_candidates_idx, so every scan below can use it.
    const base = [`l.status = 'active'`, `l.kind = 'server'`, `l.effective_price IS NOT NULL`];
    const w: string[] = [];
    if (n.minCores) w.push(`l.cores >= ${p.param(n.minCores)}`);
    if (n.minThreads) w.push(`l.threads >= ${p.param(n.minThreads)}`);
    if (n.minStorageGb) w.push(`l.storage_gb >= ${p.param(n.minStorageGb)}`);
    if (n.minGpuCount) w.push(`l.gpu_count >= ${p.param(n.minGpuCount)}`);
    if (n.gpuModel) w.push(`lower(l.gpu_model) = lower(${p.param(n.gpuModel)})`);
    if (n.minGpuVramGb) w.push(`l.gpu_memory_gb >= ${p.param(n.minGpuVramGb)}`);
    if (n.minGpuFp32Tflops) {
      w.push(`l.gpu_fp32_tflops / NULLIF(l.gpu_count, 0) >= ${p.param(n.minGpuFp32Tflops)}`);
    }
    if (n.formFactor) w.push(`lower(l.form_factor) = lower(${p.param(n.formFactor)})`);
    if (n.allowedVendors.length) {
      w.push(
        `lower(l.vendor) = ANY(${p.param(n.allowedVendors.map((v) => v.toLowerCase()))}::text[])`,
      );
    }
    // The upgrade only adds to the price per node, so this bound is safe before it is known.
    if (n.maxUnitPrice !== null) {
      w.push(`l.effective_price / greatest(l.lot_quantity, 1) <= ${p.param(n.maxUnitPrice)}`);
    }
    const chassisFilter = n.allowedChassis.length
      ? `AND l.chassis = ANY(${p.param(q.chassis)}::text[])`
      : '';
    const minRam = n.minRamGb ? p.param(n.minRamGb) : null;
    const upgrades = minRam !== null && q.ramUpgrades.length > 0;
    const upChassis = upgrades ? p.param(q.ramUpgrades.map((u) => u.chassis)) : null;
    const upPrice = upgrades ? p.param(q.ramUpgrades.map((u) => u.pricePerGb)) : null;
    const ramOk = minRam !== null ? `l.ram_gb >= ${minRam}` : 'true';
    const ramOkOrUpgradable = upgrades
      ? `(${ramOk} OR l.chassis = ANY(${upChassis}::text[]))`
      : ramOk;
    const k = p.param(Math.max(q.nodesPerGroup, q.mixedNodes));
    const filters = [...base, ...w].join(' AND ');
    const slice = (extra: string, order = 'l.effective_price, l.id') => `(
        SELECT l.id FROM listing l
        WHERE ${filters} AND l.chassis = grp.chassis AND l.cpu_model = grp.cpu_model AND ${extra}
        ORDER BY ${order} LIMIT ${k})`;
    const slices = [
      slice(`l.lot_quantity <= 1 AND ${ramOk}`),
      slice(`l.lot_quantity > 1 AND ${ramOkOrUpgradable}`),
      ...(upgrades
        ? [
            slice(
              `l.lot_quantity <= 1 AND l.ram_gb < ${minRam} AND grp.chassis = ANY(${upChassis}::text[])`,
            ),
          ]
        : []),
    ];
    const unknownGroup =
      q.mixedNodes > 0
        ? `UNION ALL (
            SELECT l.id FROM listing l
            WHERE ${filters} AND (l.chassis IS NULL OR l.cpu_model IS NULL) ${chassisFilter}
              AND ${ramOkOrUpgradable}
            ORDER BY l.effective_price / greatest(l.lot_quantity, 1), l.id LIMIT ${k})`
        : '';
    const groupScan = (after: string) => `
        SELECT l.chassis, l.cpu_model FROM listing l
        WHERE ${base.join(' AND ')} AND l.chassis IS NOT NULL AND l.cpu_model IS NOT NULL
          ${chassisFilter} ${after}
        ORDER BY l.chassis, l.cpu_model LIMIT 1`;
    const upgradeJoin = upgrades
      ? `LEFT JOIN unnest(${upChassis}::text[], ${upPrice}::numeric[]) AS u(chassis, ram_per_gb)
          ON u.chassis = l.chassis AND l.ram_gb < ${minRam}`
      : '';
    const upgradeExpr = upgrades
      ? `CASE WHEN l.ram_gb >= ${minRam} THEN 0::numeric ELSE (${minRam} - l.ram_gb) * u.ram_per_gb END`
      : '0::numeric';
    const maxUnit = n.maxUnitPrice !== null ? p.param(n.maxUnitPrice) : null;
    const perGroup = p.param(q.nodesPerGroup);
    const maxGroups = p.param(q.maxGroups);
    const mixed = p.param(q.mixedNodes);
    const sql = `
      WITH RECURSIVE grp AS (
        (${groupScan('')})
        UNION ALL
        SELECT nx.chassis, nx.cpu_model FROM grp CROSS JOIN LATERAL (${groupScan(
          'AND (l.chassis, l.cpu_model) > (grp.chassis, grp.cpu_model)',
        )}) nx
      ), ids AS (
        SELECT DISTINCT s.id FROM grp CROSS JOIN LATERAL (
          ${slices.join('\n          UNION ALL ')}
        ) s
        ${unknownGroup}
      ), c AS (
        SELECT l.id, l.title, l.chassis, l.cpu_model, l.ram_gb,
               greatest(l.lot_quantity, 1) AS lot,
               greatest(coalesce(l.quantity_available, 1), 1) AS avail,
               l.effective_price, l.tco, l.cpu_score, l.gpu_fp32_tflops, l.break_even_months,
               l.estimated_watts, l.annual_energy_cost,
               ${upgradeExpr} AS upgrade_per_node,
               l.effective_price / greatest(l.lot_quantity, 1) + ${upgradeExpr} AS unit_price
        FROM ids JOIN listing l ON l.id = ids.id ${upgradeJoin}
        WHERE ${upgrades ? `(${ramOk} OR u.chassis IS NOT NULL)` : ramOk}
      ), f AS (
        SELECT * FROM c ${maxUnit ? `WHERE unit_price <= ${maxUnit}` : ''}
      ), r AS (
        SELECT f.*,
               sum(avail * lot) OVER (PARTITION BY chassis, cpu_model
                 ORDER BY unit_price, id ROWS UNBOUNDED PRECEDING) AS group_cum,
               sum(avail * lot) OVER (ORDER BY unit_price, id ROWS UNBOUNDED PRECEDING) AS all_cum
        FROM f
      ), kept AS (
        SELECT * FROM r WHERE group_cum - avail * lot < ${perGroup}
      ), g AS (
        SELECT chassis, cpu_model, sum(avail * lot) AS nodes, sum(unit_price * avail * lot) AS cost
        FROM kept WHERE chassis IS NOT NULL AND cpu_model IS NOT NULL
        GROUP BY chassis, cpu_model
        ORDER BY (sum(avail * lot) >= ${perGroup}) DESC,
                 CASE WHEN sum(avail * lot) >= ${perGroup} THEN sum(unit_price * avail * lot) END,
                 sum(avail * lot) DESC
        LIMIT ${maxGroups}
      )
      SELECT k.* FROM kept k JOIN g ON g.chassis = k.chassis AND g.cpu_model = k.cpu_model
      UNION
      SELECT r.* FROM r WHERE all_cum - avail * lot < ${mixed}`;
    const rows: CandidateRow[] = await this.db.query(sql, p.values);
    return rows.map((r) => ({
      listingId: r.id,
      title: r.title,
      chassis: r.chassis,
      cpuModel: r.cpu_model,
      lotQuantity: r.lot,
      available: r.avail,
      effectivePrice: r.effective_price,
      tco: r.tco,
      cpuScore: r.cpu_score,
      gpuFp32Tflops: r.gpu_fp32_tflops,
      breakEvenMonths: r.break_even_months,
      estimatedWatts: r.estimated_watts,
      annualEnergyCost: r.annual_energy_cost,
      upgrade:
        r.upgrade_per_node > 0 && n.minRamGb && r.ram_gb !== null
          ? { kind: 'ram', addGb: n.minRamGb - r.ram_gb, cost: round2(r.upgrade_per_node) }
          : null,
    }));
  }
}

interface CandidateRow {
  id: number;
  title: string;
  chassis: string | null;
  cpu_model: string | null;
  ram_gb: number | null;
  lot: number;
  avail: number;
  effective_price: number;
  tco: number | null;
  cpu_score: number | null;
  gpu_fp32_tflops: number | null;
  break_even_months: number | null;
  estimated_watts: number | null;
  annual_energy_cost: number | null;
  upgrade_per_node: number;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
