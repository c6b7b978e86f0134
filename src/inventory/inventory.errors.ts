import { DomainError } from '../common/errors';

/** Refusals of the inventory, each with a reason code clients can branch on. */
export const partNotFound = (partNumber: string): DomainError =>
  new DomainError('NOT_FOUND', `unknown part '${partNumber}'`, 'PART_NOT_FOUND', { partNumber });

export const locationNotFound = (id: number | string): DomainError =>
  new DomainError('NOT_FOUND', `stock location ${id} not found`, 'LOCATION_NOT_FOUND', { id });

export const siteNotFound = (site: string): DomainError =>
  new DomainError('NOT_FOUND', `no stock location at site '${site}'`, 'SITE_NOT_FOUND', { site });

export const reservationNotFound = (id: number | string): DomainError =>
  new DomainError('NOT_FOUND', `reservation ${id} not found`, 'RESERVATION_NOT_FOUND', { id });

export const insufficientStock = (
  partNumber: string,
  where: string,
  requested: number,
  available: number,
): DomainError =>
  new DomainError(
    'CONFLICT',
    `not enough ${partNumber} available at ${where}: requested ${requested}, available ${available}`,
    'INSUFFICIENT_STOCK',
    { partNumber, requested, available },
  );

export const reservationClosed = (id: number, status: string): DomainError =>
  new DomainError(
    'CONFLICT',
    `reservation ${id} is already ${status}`,
    `RESERVATION_ALREADY_${status.toUpperCase()}`,
    { id, status },
  );

export const reservationExpired = (id: number, expiresAt: Date): DomainError =>
  new DomainError(
    'CONFLICT',
    `reservation ${id} expired at ${expiresAt.toISOString()} and can no longer be used`,
    'RESERVATION_EXPIRED',
    { id, status: 'expired', expiresAt: expiresAt.toISOString() },
  );

export const wrongSite = (message: string, details: Record<string, unknown>): DomainError =>
  new DomainError('BAD_USER_INPUT', message, 'WRONG_SITE', details);

export const idempotencyConflict = (key: string): DomainError =>
  new DomainError(
    'CONFLICT',
    `idempotency key '${key}' was already used with different arguments`,
    'IDEMPOTENCY_KEY_REUSED',
    { idempotencyKey: key },
  );
