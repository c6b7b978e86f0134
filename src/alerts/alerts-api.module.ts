import { Module } from '@nestjs/common';
import { AlertsModule } from './alerts.module';
import { AlertsResolver } from './alerts.resolver';
import { UnsubscribeController } from './unsubscribe.controller';

/** GraphQL rules/events and the unsubscribe routes (api role). */
@Module({
  imports: [AlertsModule],
  providers: [AlertsResolver],
  controllers: [UnsubscribeController],
})
export class AlertsApiModule {}
