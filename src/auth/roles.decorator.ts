import { SetMetadata, createParamDecorator, ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { Principal, Role } from './roles';

export const ROLE_KEY = 'rackhound:role';

/**
 * The role an operation needs. Queries default to viewer; a mutation without @RequireRole is
 * refused (fail closed), so every mutation states who may call it.
 */
export const RequireRole = (role: Role) => SetMetadata(ROLE_KEY, role);

/** The calling key's principal (set by the GraphQL context). */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal | null =>
    GqlExecutionContext.create(ctx).getContext<{ principal: Principal | null }>().principal,
);
