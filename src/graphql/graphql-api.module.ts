import { Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { MercuriusDriver, MercuriusDriverConfig } from '@nestjs/mercurius';
import { ExecutionResult, GraphQLError, NoSchemaIntrospectionCustomRule } from 'graphql';
import { join } from 'node:path';
import { projectRoot } from '../common/project-root';
import { rootLogger } from '../common/logger';
import { AppConfig } from '../config/app-config';
import { ListingsModule } from '../listings/listings.module';
import { ListingsService } from '../listings/listings.service';
import { formatGraphqlError } from './error-formatter';
import { Loaders } from './loaders';

/** GraphQL over Fastify with Mercurius. The schema is written to schema.gql (committed). */
@Module({
  imports: [
    GraphQLModule.forRootAsync<MercuriusDriverConfig>({
      driver: MercuriusDriver,
      imports: [ListingsModule],
      inject: [AppConfig, ListingsService],
      useFactory: (config: AppConfig, listings: ListingsService) => {
        const log = rootLogger().child({ module: 'graphql' });
        return {
          autoSchemaFile: join(projectRoot(), 'schema.gql'),
          sortSchema: true,
          path: '/graphql',
          graphiql: config.graphqlIde,
          validationRules: config.graphqlIntrospection ? [] : [NoSchemaIntrospectionCustomRule],
          context: () => ({ loaders: new Loaders(listings) }),
          errorFormatter: (execution: ExecutionResult & { errors: readonly GraphQLError[] }) => {
            const errors = execution.errors.map((e) => formatGraphqlError(e, log));
            const validation = execution.data === undefined;
            return {
              statusCode: validation ? 400 : 200,
              response: { data: execution.data ?? null, errors },
            };
          },
        };
      },
    }),
  ],
})
export class GraphqlApiModule {}
