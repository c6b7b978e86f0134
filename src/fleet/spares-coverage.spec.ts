import { DomainError } from '../common/errors';
import { type InventoryCoverageSource, InventorySparesCoverage } from './spares-coverage';

const part = (pn: string) => ({ part_number: pn, description: `${pn} spare` });

describe('InventorySparesCoverage', () => {
  it('lists the spares that fit each planned chassis with the free quantity', async () => {
    const asked: string[] = [];
    const inventory: InventoryCoverageSource = {
      sparesCoverage: ({ chassis }) => {
        asked.push(chassis);
        return Promise.resolve(
          chassis === 'R740' ? [{ part: part('PSU-750'), totalAvailable: 3 }] : [],
        );
      },
    };
    const fits = await new InventorySparesCoverage(inventory).sparesForChassis([
      'R740',
      'DL380 Gen10',
      'R740',
    ]);
    expect(asked).toEqual(['R740', 'DL380 Gen10']);
    expect(fits).toEqual([
      { chassis: 'R740', partNumber: 'PSU-750', description: 'PSU-750 spare', available: 3 },
    ]);
  });

  it('skips a chassis inventory cannot resolve, but not other errors', async () => {
    const bad: InventoryCoverageSource = {
      sparesCoverage: () => Promise.reject(new DomainError('BAD_USER_INPUT', 'not a chassis')),
    };
    await expect(new InventorySparesCoverage(bad).sparesForChassis(['??'])).resolves.toEqual([]);
    const broken: InventoryCoverageSource = {
      sparesCoverage: () => Promise.reject(new Error('db down')),
    };
    await expect(new InventorySparesCoverage(broken).sparesForChassis(['R740'])).rejects.toThrow(
      'db down',
    );
  });
});
