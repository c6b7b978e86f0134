import { DomainError } from '../common/errors';

/**
 * Seam to inventory: which spare parts in stock fit a planned chassis. The inventory module
 * provides it under SPARES_COVERAGE when present; without it plans carry no spares section.
 */
export const SPARES_COVERAGE = Symbol('SPARES_COVERAGE');

export interface SpareFit {
  chassis: string;
  partNumber: string;
  description: string | null;
  /** On hand minus reserved, across locations. */
  available: number;
}

export interface SparesCoverageProvider {
  sparesForChassis(chassis: readonly string[]): Promise<SpareFit[]>;
}

/** The part of InventoryService the adapter uses (sparesCoverage by chassis). */
export interface InventoryCoverageSource {
  sparesCoverage(a: { chassis: string }): Promise<
    Array<{
      part: { part_number: string; description: string | null };
      totalAvailable: number;
    }>
  >;
}

/**
 * Spares in inventory that fit each planned chassis, from inventory's sparesCoverage. A chassis
 * inventory cannot resolve to a model (BAD_USER_INPUT) simply has no spares listed.
 */
export class InventorySparesCoverage implements SparesCoverageProvider {
  constructor(private readonly inventory: InventoryCoverageSource) {}

  async sparesForChassis(chassis: readonly string[]): Promise<SpareFit[]> {
    const out: SpareFit[] = [];
    for (const c of new Set(chassis)) {
      let rows: Awaited<ReturnType<InventoryCoverageSource['sparesCoverage']>>;
      try {
        rows = await this.inventory.sparesCoverage({ chassis: c });
      } catch (e) {
        if (e instanceof DomainError && e.code === 'BAD_USER_INPUT') continue;
        throw e;
      }
      for (const r of rows) {
        out.push({
          chassis: c,
          partNumber: r.part.part_number,
          description: r.part.description,
          available: r.totalAvailable,
        });
      }
    }
    return out;
  }
}
