import { InventoryService } from '../../inventory/inventory.service';
import { CliExit, Command, out, withContext } from '../command';

export const inventoryCheckCommand: Command = {
  usage:
    'inventory-check\n' +
    '  Proves that every stock level equals the sum of its movements, that every reservation\n' +
    '  holds exactly its quantity, and that serialized units match their levels. Exit 1 if not.',
  async run(args, config) {
    if (args.length) throw new CliExit(2, 'inventory-check takes no arguments');
    await withContext(config, async (app) => {
      const r = await app.get(InventoryService).reconcile();
      out(
        `checked ${r.levels} stock levels, ${r.movements} movements, ${r.reservations} reservations`,
      );
      for (const p of r.problems.slice(0, 200)) out(`  MISMATCH ${p}`);
      if (r.problems.length) {
        throw new CliExit(1, `inventory-check: ${r.problems.length} mismatch(es)`);
      }
      out('ok: levels reconcile with movements');
    });
  },
};

export const inventoryExpireCommand: Command = {
  usage:
    'inventory-expire\n' +
    '  Releases held reservations past their expiry now (what the worker’s sweeper does).',
  async run(args, config) {
    if (args.length) throw new CliExit(2, 'inventory-expire takes no arguments');
    await withContext(config, async (app) => {
      const r = await app.get(InventoryService).expireDue();
      out(`expired ${r.expired} reservation(s)`);
    });
  },
};
