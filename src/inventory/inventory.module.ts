import { Module } from '@nestjs/common';
import { InventoryRepository } from './inventory.repository';
import {
  PartsResolver,
  ReservationsResolver,
  StockAlertResolver,
  StockResolver,
} from './inventory.resolver';
import { InventoryService } from './inventory.service';

/**
 * Spare parts, stock and reservations. The resolvers are only served when the GraphQL module
 * is loaded (api role); the service is used by the worker's sweeper, the CLI and the alerts
 * email path (openStockAlerts / markStockAlertNotified).
 */
@Module({
  providers: [
    InventoryRepository,
    InventoryService,
    PartsResolver,
    StockResolver,
    ReservationsResolver,
    StockAlertResolver,
  ],
  exports: [InventoryService],
})
export class InventoryModule {}
