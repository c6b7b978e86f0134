import { IntrinsicException } from '@nestjs/common';

/** Codes a client may see in GraphQL `extensions.code`. */
export type ErrorCode =
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'FORBIDDEN'
  | 'UNAUTHENTICATED'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'QUERY_TOO_COMPLEX'
  | 'INTERNAL';

/**
 * A refusal the caller can act on. `reason` is a finer machine-readable cause
 * (e.g. RESERVATION_INSUFFICIENT_STOCK) and `details` carries facts such as how many are available.
 * An IntrinsicException, so Nest's exception filters do not log it as a server error with a
 * stack: a refusal is an answer, and under contention (a hot part) there are many.
 */
export class DomainError extends IntrinsicException {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly reason?: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string, id: string | number): DomainError =>
  new DomainError('NOT_FOUND', `${what} ${id} not found`, `${what.toUpperCase()}_NOT_FOUND`, {
    id,
  });

export const badInput = (message: string, details: Record<string, unknown> = {}): DomainError =>
  new DomainError('BAD_USER_INPUT', message, 'BAD_USER_INPUT', details);
