import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { DomainError } from '../common/errors';
import { ROLE_KEY } from './roles.decorator';
import { Principal, Role, roleSatisfies } from './roles';

/** Authorizes every GraphQL query and mutation by the calling key's role. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType<string>() !== 'graphql') return true;
    const gql = GqlExecutionContext.create(context);
    const info = gql.getInfo<GraphQLResolveInfo>();
    const declared = this.reflector.getAllAndOverride<Role | undefined>(ROLE_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    const operation = info.parentType.name;
    if (operation === 'Mutation' && !declared) {
      throw new DomainError('FORBIDDEN', `${info.fieldName} declares no role`, 'NO_ROLE_DECLARED');
    }
    const need: Role = declared ?? 'viewer';
    const ctx = gql.getContext<{ principal: Principal | null; invalidKey?: boolean }>();
    const principal = ctx.principal;
    if (!principal && ctx.invalidKey) {
      throw new DomainError('UNAUTHENTICATED', 'invalid or revoked API key', 'API_KEY_INVALID');
    }
    if (!principal) {
      throw new DomainError(
        'UNAUTHENTICATED',
        'an API key is required: send "Authorization: Bearer <key>" (create one with npm run cli -- create-api-key)',
        'API_KEY_REQUIRED',
      );
    }
    if (!roleSatisfies(principal.role, need)) {
      throw new DomainError(
        'FORBIDDEN',
        `${info.fieldName} needs the ${need} role; this key has ${principal.role}`,
        'ROLE_REQUIRED',
        { need, have: principal.role },
      );
    }
    return true;
  }
}

/** Reads the key from "Authorization: Bearer <key>" or "X-Api-Key: <key>". */
export function keyFromHeaders(
  headers: Record<string, string | string[] | undefined>,
): string | null {
  const auth = headers.authorization;
  const a = Array.isArray(auth) ? auth[0] : auth;
  if (a && /^Bearer\s+/i.test(a)) return a.replace(/^Bearer\s+/i, '').trim() || null;
  const x = headers['x-api-key'];
  const v = Array.isArray(x) ? x[0] : x;
  return v?.trim() || null;
}
