import { Module } from '@nestjs/common';
import { InventoryModule } from '../inventory/inventory.module';
import { InventoryService } from '../inventory/inventory.service';
import { FleetNeedsRepository } from './fleet-needs.repository';
import { FleetNeedsResolver } from './fleet-needs.resolver';
import { FleetNeedsService } from './fleet-needs.service';
import { InventorySparesCoverage, SPARES_COVERAGE } from './spares-coverage';

/** Fleet needs and purchase plans (API role); plans list the inventory spares that fit. */
@Module({
  imports: [InventoryModule],
  providers: [
    FleetNeedsRepository,
    FleetNeedsService,
    FleetNeedsResolver,
    {
      provide: SPARES_COVERAGE,
      inject: [InventoryService],
      useFactory: (inventory: InventoryService) => new InventorySparesCoverage(inventory),
    },
  ],
  exports: [FleetNeedsService],
})
export class FleetModule {}
