import { Module } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { GraphQLModule } from '@nestjs/graphql';
import { MercuriusDriver, MercuriusDriverConfig } from '@nestjs/mercurius';
import { ExecutionResult, GraphQLError, NoSchemaIntrospectionCustomRule } from 'graphql';
import { join } from 'node:path';
import { projectRoot } from '../common/project-root';
import { rootLogger } from '../common/logger';
import { ApiKeysService } from '../auth/api-keys.service';
import { keyFromHeaders } from '../auth/roles.guard';
import type { Principal } from '../auth/roles';
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
      inject: [AppConfig, ListingsService, ApiKeysService],
      useFactory: (config: AppConfig, listings: ListingsService, keys: ApiKeysService) => {
        const log = rootLogger().child({ module: 'graphql' });
        return {
          autoSchemaFile: join(projectRoot(), 'schema.gql'),
          sortSchema: true,
          path: '/graphql',
          graphiql: config.graphqlIde,
          validationRules: config.graphqlIntrospection ? [] : [NoSchemaIntrospectionCustomRule],
          context: async (request: FastifyRequest) => {
            const key = keyFromHeaders(request.headers);
            const principal: Principal | null = key
              ? await keys.verify(key)
              : config.env.ANONYMOUS_ROLE === 'viewer'
                ? { keyId: 0, name: 'anonymous', role: 'viewer' }
                : null;
            if (key && !principal) {
              // A wrong key is never treated as anonymous.
              return { principal: null, invalidKey: true, loaders: new Loaders(listings) };
            }
            return { principal, loaders: new Loaders(listings) };
          },
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
