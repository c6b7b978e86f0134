import { DynamicModule, Global, Module } from '@nestjs/common';
import { AlertsApiModule } from './alerts/alerts-api.module';
import { AuthApiModule } from './auth/auth-api.module';
import { AuthModule } from './auth/auth.module';
import { AppConfig } from './config/app-config';
import { DatabaseModule } from './database/database.module';
import { FleetModule } from './fleet/fleet.module';
import { GraphqlApiModule } from './graphql/graphql-api.module';
import { HealthModule } from './health/health.module';
import { InventoryModule } from './inventory/inventory.module';
import { ListingsModule } from './listings/listings.module';
import { MarketModule } from './market/market.module';
import { QueueModule } from './queue/queue.module';
import { ScrapingApiModule } from './scraping/scraping-api.module';
import { SourcesModule } from './sources/sources.module';
import { WorkerModule } from './worker.module';

@Global()
@Module({})
class ConfigHolderModule {
  static with(config: AppConfig): DynamicModule {
    return {
      module: ConfigHolderModule,
      providers: [{ provide: AppConfig, useValue: config }],
      exports: [AppConfig],
    };
  }
}

/** The roles named by APP_ROLE decide which parts load: api (GraphQL, /health), worker, or all. */
@Module({})
export class AppModule {
  static forRoot(
    config: AppConfig,
    roles = { api: config.runsApi, worker: config.runsWorker },
  ): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigHolderModule.with(config),
        DatabaseModule,
        QueueModule,
        AuthModule,
        SourcesModule,
        ListingsModule,
        InventoryModule,
        ...(roles.api
          ? [
              GraphqlApiModule,
              AuthApiModule,
              AlertsApiModule,
              HealthModule,
              ScrapingApiModule,
              FleetModule,
              MarketModule,
            ]
          : []),
        ...(roles.worker ? [WorkerModule] : []),
      ],
    };
  }
}
