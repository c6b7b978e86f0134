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
   *  1. the groups, by skip scans of listing_plan_candidates_idx (one index probe per group, not
   *     a scan of every listing): the distinct (chassis, CPU model) pairs and, for a mixed plan,
   *     the groups of unknown chassis or CPU ((chassis, null) per chassis, (null, CPU) per CPU
   *     model, and (null, null)), each reached with `=` / `IS NULL` index conditions;
   *  2. per group, at most k = max(nodesPerGroup, mixedNodes) rows by effective price, in two
   *     slices so RAM upgrades are not crowded out: listings meeting the RAM minimum (the stored
   *     effective price is per node, lots included, so the first N rows always hold the cheapest
   *     N nodes) and listings one RAM upgrade away. The slices read only the index's key and
   *     INCLUDE columns (index-only scans, no heap); a probe first skips groups where no listing
   *     meets the minimums, which would otherwise be read to their end by each slice;
   *  3. over that bounded set: the price per node with any upgrade, a running node count per group
   *     that keeps only the rows a group needs, the best `maxGroups` groups, and the cheapest rows
   *     across groups for the mixed plan;
   *  4. only the rows kept (a few hundred) are read from the table for their other columns.
   * Reads at most groups x 2 x k index entries that pass the filters (plus, once, the entries of
   * groups the probe rules out), however many listings match; no sort of every matching listing.
   *
   * Prices: listing.effective_price, tco and annual_energy_cost are per item of a lot (see
   * valueListing); a candidate's effectivePrice, tco and annualEnergyCost are for the whole
   * listing (fleet-plan.ts buys listings), so they are multiplied by the lot size here.
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
    if (n.maxUnitPrice !== null) w.push(`l.effective_price <= ${p.param(n.maxUnitPrice)}`);
    const allowed = n.allowedChassis.length ? p.param(q.chassis) : null;
    const chassisFilter = allowed ? `AND l.chassis = ANY(${allowed}::text[])` : '';
    const minRam = n.minRamGb ? p.param(n.minRamGb) : null;
    const upgrades = minRam !== null && q.ramUpgrades.length > 0;
    const upChassis = upgrades ? p.param(q.ramUpgrades.map((u) => u.chassis)) : null;
    const upPrice = upgrades ? p.param(q.ramUpgrades.map((u) => u.pricePerGb)) : null;
    const ramOk = minRam !== null ? `l.ram_gb >= ${minRam}` : 'true';
    const k = p.param(Math.max(q.nodesPerGroup, q.mixedNodes));
    const filters = [...base, ...w].join(' AND ');

    /**
     * The candidates of the groups `groups` yields (a FROM item with alias `grp`), in two
     * slices. `group` selects one group with index conditions; `chassis` is its chassis
     * expression ('NULL' when unknown), which decides whether RAM can be added.
     */
    const groupCandidates = (groups: string, group: string, chassis: string) => {
      const upgradable =
        upgrades && chassis !== 'NULL' ? `${chassis} = ANY(${upChassis}::text[])` : null;
      // Ordered by the full index order although the group fixes chassis and CPU: PostgreSQL
      // does not treat an IS NULL condition as a constant, and ordered by effective_price alone
      // an unknown group would be read whole and sorted instead of stopping after k rows.
      const slice = (extra: string) => `(
          SELECT l.id, l.chassis, l.cpu_model, l.effective_price, l.lot_quantity,
                 l.quantity_available, l.ram_gb
          FROM listing l
          WHERE ${filters} AND ${group} AND ${extra}
          ORDER BY l.chassis, l.cpu_model, l.effective_price, l.id LIMIT ${k})`;
      const usable = upgradable ? `(${ramOk} OR ${upgradable})` : ramOk;
      const slices = [
        slice(ramOk),
        ...(upgradable ? [slice(`l.ram_gb < ${minRam} AND ${upgradable}`)] : []),
      ];
      // A group none of whose listings meets the minimums (a CPU with too few cores) is read
      // to its end once by this probe, not once per slice; the slices run only for the others.
      return `SELECT s.* FROM ${groups}
        CROSS JOIN LATERAL (
          SELECT 1 FROM listing l WHERE ${filters} AND ${group} AND ${usable} LIMIT 1
        ) probe
        CROSS JOIN LATERAL (
          ${slices.join('\n          UNION ALL ')}
        ) s`;
    };
    const mixedPlan = q.mixedNodes > 0;
    // Known (chassis, CPU) pairs: a skip scan over the index's two leading columns.
    const pairScan = (after: string) => `
        SELECT l.chassis, l.cpu_model FROM listing l
        WHERE ${base.join(' AND ')} AND l.chassis IS NOT NULL AND l.cpu_model IS NOT NULL
          ${chassisFilter} ${after}
        ORDER BY l.chassis, l.cpu_model LIMIT 1`;
    // For the mixed plan only: every chassis (its rows of unknown CPU), and the CPU models of
    // rows of unknown chassis (none when the need names chassis).
    const chassisScan = (after: string) => `
        SELECT l.chassis FROM listing l
        WHERE ${base.join(' AND ')} AND l.chassis IS NOT NULL ${chassisFilter} ${after}
        ORDER BY l.chassis LIMIT 1`;
    const unknownChassisCpuScan = (after: string) => `
        SELECT l.cpu_model FROM listing l
        WHERE ${base.join(' AND ')} AND l.chassis IS NULL AND l.cpu_model IS NOT NULL ${after}
        ORDER BY l.chassis, l.cpu_model LIMIT 1`;
    const ctes = [
      `grp AS (
        (${pairScan('')})
        UNION ALL
        SELECT nx.chassis, nx.cpu_model FROM grp CROSS JOIN LATERAL (${pairScan(
          'AND (l.chassis, l.cpu_model) > (grp.chassis, grp.cpu_model)',
        )}) nx
      )`,
    ];
    const candidates = [
      groupCandidates(
        'grp',
        'l.chassis = grp.chassis AND l.cpu_model = grp.cpu_model',
        'grp.chassis',
      ),
    ];
    if (mixedPlan) {
      ctes.push(`chs AS (
        (${chassisScan('')})
        UNION ALL
        SELECT nx.chassis FROM chs CROSS JOIN LATERAL (${chassisScan('AND l.chassis > chs.chassis')}) nx
      )`);
      candidates.push(
        groupCandidates(
          'chs grp',
          'l.chassis = grp.chassis AND l.cpu_model IS NULL',
          'grp.chassis',
        ),
      );
      if (!allowed) {
        ctes.push(`ucpu AS (
          (${unknownChassisCpuScan('')})
          UNION ALL
          SELECT nx.cpu_model FROM ucpu CROSS JOIN LATERAL (${unknownChassisCpuScan(
            'AND l.cpu_model > ucpu.cpu_model',
          )}) nx
        )`);
        candidates.push(
          groupCandidates('ucpu grp', 'l.chassis IS NULL AND l.cpu_model = grp.cpu_model', 'NULL'),
          groupCandidates(
            '(VALUES (1)) grp(one)',
            'l.chassis IS NULL AND l.cpu_model IS NULL',
            'NULL',
          ),
        );
      }
    }
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
      WITH RECURSIVE ${ctes.join(', ')},
      cand AS (
        ${candidates.join('\n        UNION ALL\n        ')}
      ), c AS (
        SELECT l.id, l.chassis, l.cpu_model, l.ram_gb,
               greatest(l.lot_quantity, 1) AS lot,
               greatest(coalesce(l.quantity_available, 1), 1) AS avail,
               l.effective_price,
               ${upgradeExpr} AS upgrade_per_node,
               l.effective_price + ${upgradeExpr} AS unit_price
        FROM cand l ${upgradeJoin}
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
      ), chosen AS (
        SELECT k.id, k.chassis, k.cpu_model, k.ram_gb, k.lot, k.avail, k.effective_price,
               k.upgrade_per_node
        FROM kept k JOIN g ON g.chassis = k.chassis AND g.cpu_model = k.cpu_model
        UNION
        SELECT r.id, r.chassis, r.cpu_model, r.ram_gb, r.lot, r.avail, r.effective_price,
               r.upgrade_per_node
        FROM r WHERE all_cum - avail * lot < ${mixed}
      )
      SELECT ch.id, ch.chassis, ch.cpu_model, ch.ram_gb, ch.lot, ch.avail, ch.upgrade_per_node,
             ch.effective_price * ch.lot AS listing_price, l.tco * ch.lot AS listing_tco,
             l.annual_energy_cost * ch.lot AS listing_energy_cost,
             l.title, l.cpu_score, l.gpu_fp32_tflops, l.break_even_months, l.estimated_watts
      FROM chosen ch JOIN listing l ON l.id = ch.id`;
    // The planner's estimate for the per-group scans is far above what they read, which would
    // put the statement over jit_above_cost: compiling it took longer than running it.
    const rows: CandidateRow[] = await this.db.transaction(async (m) => {
      await m.query('SET LOCAL jit = off');
      return m.query(sql, p.values);
    });
    return rows.map((r) => ({
      listingId: r.id,
      title: r.title,
      chassis: r.chassis,
      cpuModel: r.cpu_model,
      lotQuantity: r.lot,
      available: r.avail,
      effectivePrice: r.listing_price,
      tco: r.listing_tco,
      cpuScore: r.cpu_score,
      gpuFp32Tflops: r.gpu_fp32_tflops,
      breakEvenMonths: r.break_even_months,
      estimatedWatts: r.estimated_watts,
      annualEnergyCost: r.listing_energy_cost,
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
  /** effective_price (per node) x lot: the whole listing. */
  listing_price: number;
  listing_tco: number | null;
  listing_energy_cost: number | null;
  cpu_score: number | null;
  gpu_fp32_tflops: number | null;
  break_even_months: number | null;
  estimated_watts: number | null;
  upgrade_per_node: number;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
