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
import { SourcesService } from '../sources/sources.service';
import { formatGraphqlError } from './error-formatter';
import { GraphqlLimitsModule } from './graphql-limits.module';
import { Loaders } from './loaders';
import { enforceQueryLimits } from './query-limits';
import { RateLimiter } from './rate-limiter';

/** GraphQL over Fastify with Mercurius. The schema is written to schema.gql (committed). */
@Module({
  imports: [
    GraphqlLimitsModule,
    GraphQLModule.forRootAsync<MercuriusDriverConfig>({
      driver: MercuriusDriver,
      imports: [ListingsModule, GraphqlLimitsModule],
      inject: [AppConfig, ListingsService, ApiKeysService, SourcesService, RateLimiter],
      useFactory: (
        config: AppConfig,
        listings: ListingsService,
        keys: ApiKeysService,
        sources: SourcesService,
        limiter: RateLimiter,
      ) => {
        const log = rootLogger().child({ module: 'graphql' });
        const limits = {
          maxDepth: config.env.GRAPHQL_MAX_DEPTH,
          maxCost: config.env.GRAPHQL_MAX_COST,
        };
        return {
          autoSchemaFile: join(projectRoot(), 'schema.gql'),
          sortSchema: true,
          path: '/graphql',
          // Parsed and validated documents are cached (Mercurius' LRU, on by default); a query
          // seen a second time is compiled with graphql-jit, which executes it several times
          // cheaper than graphql-js' interpreter.
          cache: true,
          jit: 1,
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
              return { principal: null, invalidKey: true, loaders: new Loaders(listings, sources) };
            }
            return { principal, loaders: new Loaders(listings, sources) };
          },
          hooks: {
            // After parsing and validation, before anything runs: the caller's rate limit, then
            // the operation's depth and cost (variables known, so first/last count).
            preExecution: async (schema, document, context, variables) => {
              const ctx = context as unknown as LimitContext;
              await limiter.take(rateSubject(ctx));
              enforceQueryLimits(schema, document, variables, limits);
            },
          },
          errorFormatter: (execution: ExecutionResult & { errors: readonly GraphQLError[] }) => {
            // Mercurius wraps validation failures in one error holding the real ones.
            const errors = execution.errors
              .flatMap((e) => {
                const inner = (e.originalError as { errors?: unknown } | undefined)?.errors;
                return Array.isArray(inner) && inner.every((i) => i instanceof GraphQLError)
                  ? inner
                  : [e];
              })
              .map((e) => formatGraphqlError(e, log));
            const validation = execution.data === undefined;
            const limited = errors.some((e) => e.extensions.code === 'RATE_LIMITED');
            return {
              statusCode: limited ? 429 : validation ? 400 : 200,
              response: { data: execution.data ?? null, errors },
            };
          },
        };
      },
    }),
  ],
})
export class GraphqlApiModule {}

interface LimitContext {
  principal: Principal | null;
  reply?: { request: { ip: string } };
}

/** Rate limits apply per API key; anonymous callers and bad keys are limited per IP. */
function rateSubject(ctx: LimitContext): string {
  if (ctx.principal && ctx.principal.keyId > 0) return `key:${ctx.principal.keyId}`;
  return `ip:${ctx.reply?.request.ip ?? 'unknown'}`;
}
