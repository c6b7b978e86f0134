import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DomainError, notFound } from '../common/errors';
import { rowsOf } from '../common/sql';
import { Principal, ROLES, Role } from './roles';

export interface ApiKeyRecord {
  id: number;
  name: string;
  role: Role;
  keyPrefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const CACHE_MS = 5_000;

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

@Injectable()
export class ApiKeysService {
  private readonly cache = new Map<string, { principal: Principal | null; until: number }>();

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Creates a key and returns it in clear text: the only time it is ever shown. */
  async create(
    role: Role,
    name: string,
    createdBy?: number,
  ): Promise<{ key: string; record: ApiKeyRecord }> {
    if (!ROLES.includes(role)) {
      throw new DomainError('BAD_USER_INPUT', `role must be one of ${ROLES.join(', ')}`);
    }
    const trimmed = name.trim();
    if (!trimmed || trimmed.length > 100) {
      throw new DomainError('BAD_USER_INPUT', 'name must be 1 to 100 characters');
    }
    const key = `rh_${randomBytes(24).toString('base64url')}`;
    const rows: Record<string, unknown>[] = await this.db.query(
      `INSERT INTO api_key (name, role, key_prefix, key_hash, created_by)
       VALUES ($1, $2, $3, $4, $5) RETURNING *`,
      [trimmed, role, key.slice(0, 10), hashKey(key), createdBy ?? null],
    );
    return { key, record: toRecord(rows[0]!) };
  }

  /** The principal behind a key, or null for an unknown or revoked key. Cached briefly. */
  async verify(key: string): Promise<Principal | null> {
    const hash = hashKey(key);
    const now = Date.now();
    const hit = this.cache.get(hash);
    if (hit && hit.until > now) return hit.principal;
    const rows = rowsOf<{ id: number; name: string; role: Role }>(
      await this.db.query(
        `UPDATE api_key SET last_used_at = now()
         WHERE key_hash = $1 AND revoked_at IS NULL
         RETURNING id, name, role`,
        [hash],
      ),
    );
    const row = rows[0];
    const principal = row ? { keyId: row.id, name: row.name, role: row.role } : null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(hash, { principal, until: now + CACHE_MS });
    return principal;
  }

  async revoke(id: number): Promise<ApiKeyRecord> {
    const rows = rowsOf<Record<string, unknown>>(
      await this.db.query(
        `UPDATE api_key SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 RETURNING *`,
        [id],
      ),
    );
    if (!rows[0]) throw notFound('ApiKey', id);
    this.cache.clear();
    return toRecord(rows[0]);
  }

  async list(): Promise<ApiKeyRecord[]> {
    const rows: Record<string, unknown>[] = await this.db.query(
      'SELECT * FROM api_key ORDER BY id',
    );
    return rows.map(toRecord);
  }
}

function toRecord(r: Record<string, unknown>): ApiKeyRecord {
  return {
    id: r.id as number,
    name: r.name as string,
    role: r.role as Role,
    keyPrefix: r.key_prefix as string,
    createdAt: r.created_at as Date,
    lastUsedAt: (r.last_used_at as Date | null) ?? null,
    revokedAt: (r.revoked_at as Date | null) ?? null,
  };
}
