import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import { DomainError } from '../common/errors';

export interface FormattedError {
  message: string;
  locations?: GraphQLError['locations'];
  path?: GraphQLError['path'];
  extensions: Record<string, unknown>;
}

/**
 * Maps any error raised while answering a query to what a client may see: domain errors keep
 * their code, reason and details; GraphQL validation errors are BAD_USER_INPUT (or the code a
 * validation rule set); anything else is INTERNAL with a generic message, its stack logged only.
 */
export function formatGraphqlError(error: GraphQLError, log: Logger): FormattedError {
  const original: unknown = error.originalError;
  const base = { message: error.message, locations: error.locations, path: error.path };
  if (original instanceof DomainError) {
    return {
      ...base,
      message: original.message,
      extensions: { code: original.code, reason: original.reason, ...original.details },
    };
  }
  if (original instanceof GraphQLError) return formatGraphqlError(original, log);
  const ext = (error.extensions ?? {}) as Record<string, unknown>;
  if (!original || isBadInput(original)) {
    // Parse and validation errors, and argument coercion failures.
    return {
      ...base,
      extensions: { ...ext, code: typeof ext.code === 'string' ? ext.code : 'BAD_USER_INPUT' },
    };
  }
  log.error({ err: original, path: error.path }, 'unhandled error in GraphQL resolver');
  return { ...base, message: 'Internal server error', extensions: { code: 'INTERNAL' } };
}

function isBadInput(e: unknown): boolean {
  // class-validator/ValidationPipe style errors from Nest
  const err = e as { status?: number; statusCode?: number; code?: string };
  return (
    err.status === 400 || err.statusCode === 400 || /^MER_ERR_GQL_VALIDATION/.test(err.code ?? '')
  );
}
