import { Module } from '@nestjs/common';
import { FleetModule } from '../fleet/fleet.module';
import { InventoryModule } from '../inventory/inventory.module';
import { MailModule } from '../mail/mail.module';
import { AlertsRepository } from './alerts.repository';
import { AlertsService } from './alerts.service';

/**
 * Alert rules, evaluation and delivery (used by the API resolvers and the worker processors).
 * Fleet needs are planned for fleet-need rules; inventory's stock alerts become low-stock emails.
 */
@Module({
  imports: [MailModule, FleetModule, InventoryModule],
  providers: [AlertsRepository, AlertsService],
  exports: [AlertsService],
})
export class AlertsModule {}
