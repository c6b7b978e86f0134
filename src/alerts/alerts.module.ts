import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module';
import { AlertsRepository } from './alerts.repository';
import { AlertsService } from './alerts.service';

/** Alert rules, evaluation and delivery (used by the API resolvers and the worker processors). */
@Module({
  imports: [MailModule],
  providers: [AlertsRepository, AlertsService],
  exports: [AlertsService],
})
export class AlertsModule {}
