export const ROLES = ['viewer', 'procurement', 'ops', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: the API key behind a request. */
export interface Principal {
  keyId: number;
  name: string;
  role: Role;
}

/**
 * viewer reads listings; procurement (needs, plans, alert rules) and ops (inventory,
 * reservations, sources) each include viewer; admin includes everything.
 */
export function roleSatisfies(have: Role, need: Role): boolean {
  if (have === need || have === 'admin') return true;
  return need === 'viewer';
}
