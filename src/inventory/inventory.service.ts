import { Injectable } from '@nestjs/common';
import { DomainError, badInput } from '../common/errors';
import { rootLogger } from '../common/logger';
import { AppConfig } from '../config/app-config';
import {
  idempotencyConflict,
  insufficientStock,
  locationNotFound,
  partNotFound,
  reservationClosed,
  reservationExpired,
  reservationNotFound,
  siteNotFound,
  wrongSite,
} from './inventory.errors';
import {
  Actor,
  InventoryRepository,
  LevelRow,
  ListingMatchRow,
  LocationRow,
  MovementRow,
  PartMinimums,
  PartRow,
  PartWrite,
  ReconcileReport,
  ReservationLineRow,
  ReservationRow,
  ReserveAttemptResult,
  StockAlertRow,
} from './inventory.repository';
import {
  checkDelta,
  checkEmail,
  checkQuantity,
  chassisKey,
  minimumFor,
  parseDuration,
  partKey,
  partNumberVariants,
  requestHash,
  requestHashAround,
} from './inventory-rules';

export const FOR_KINDS = ['ticket', 'host', 'fleet_need', 'other'] as const;
export type ForKind = (typeof FOR_KINDS)[number];

export interface PartInput {
  partNumber: string;
  manufacturer?: string | null;
  aliases?: string[] | null;
  kind: string;
  description?: string | null;
  compatibleChassis?: string[] | null;
  minStock?: number | null;
  minStockBySite?: Array<{ site: string; minimum: number }> | null;
  serialTracked?: boolean | null;
}

export interface ReserveInput {
  partNumber: string;
  quantity: number;
  site: string;
  locationId?: number | null;
  forKind: ForKind;
  forRef: string;
  note?: string | null;
  expiresIn?: string | null;
  idempotencyKey?: string | null;
}

export interface SiteStock {
  site: string;
  onHand: number;
  reserved: number;
  available: number;
  minimum: number;
  belowMinimum: boolean;
}

export interface StockReport {
  part: PartRow;
  levels: LevelRow[];
  sites: SiteStock[];
  onHand: number;
  reserved: number;
  available: number;
}

export interface Coverage {
  part: PartRow;
  sites: SiteStock[];
  totalAvailable: number;
}

export interface OpenStockAlert extends StockAlertRow {
  partNumber: string;
  aliases: string[];
  kind: string;
  description: string | null;
  subscribers: string[];
  /** The cheapest active listings matching the part, best first. */
  offers: ListingMatchRow[];
}

const MAX_TEXT = 500;

function text(value: string | null | undefined, field: string, required = false): string | null {
  const v = value?.trim() ?? '';
  if (!v) {
    if (required) throw badInput(`${field} must not be empty`, { field });
    return null;
  }
  if (v.length > MAX_TEXT) throw badInput(`${field} is longer than ${MAX_TEXT} characters`);
  return v;
}

/** Rules of the spare-parts inventory; all I/O goes through InventoryRepository. */
@Injectable()
export class InventoryService {
  private readonly log = rootLogger().child({ module: 'inventory' });

  constructor(
    private readonly repo: InventoryRepository,
    private readonly config: AppConfig,
  ) {}

  // ---------------------------------------------------------------- parts

  private toPartWrite(input: PartInput): PartWrite {
    const partNumber = text(input.partNumber, 'partNumber', true)!;
    const aliases = [
      ...new Set((input.aliases ?? []).map((a) => a.trim()).filter((a) => a.length > 0)),
    ];
    const keys = [...new Set([partNumber, ...aliases].map(partKey))];
    if (keys.some((k) => k.length < 3)) {
      throw badInput('part numbers and aliases need at least 3 letters or digits');
    }
    const chassis = [
      ...new Set((input.compatibleChassis ?? []).map((c) => c.trim()).filter(Boolean)),
    ];
    const minStock = input.minStock ?? 0;
    if (!Number.isInteger(minStock) || minStock < 0) {
      throw badInput('minStock must be a whole number >= 0', { field: 'minStock' });
    }
    const bySite: Record<string, number> = {};
    for (const s of input.minStockBySite ?? []) {
      const site = text(s.site, 'minStockBySite.site', true)!;
      if (!Number.isInteger(s.minimum) || s.minimum < 0) {
        throw badInput(`minimum for site ${site} must be a whole number >= 0`);
      }
      bySite[site] = s.minimum;
    }
    return {
      partNumber,
      manufacturer: text(input.manufacturer, 'manufacturer'),
      aliases,
      kind: text(input.kind, 'kind', true)!.toLowerCase(),
      description: text(input.description, 'description'),
      compatibleChassis: chassis,
      chassisKeys: [...new Set(chassis.map(chassisKey).filter(Boolean))],
      minStock,
      minStockBySite: bySite,
      serialTracked: input.serialTracked ?? false,
      keys,
    };
  }

  async createPart(input: PartInput): Promise<PartRow> {
    const part = await this.repo.insertPart(this.toPartWrite(input));
    await this.evaluateAllSites(part.id);
    return part;
  }

  /** Replaces the given fields of a part (those left out keep their value). */
  async updatePart(partNumber: string, patch: Partial<PartInput>): Promise<PartRow> {
    const cur = await this.part(partNumber);
    const merged: PartInput = {
      partNumber: patch.partNumber ?? cur.part_number,
      manufacturer: patch.manufacturer !== undefined ? patch.manufacturer : cur.manufacturer,
      aliases: patch.aliases ?? cur.aliases,
      kind: patch.kind ?? cur.kind,
      description: patch.description !== undefined ? patch.description : cur.description,
      compatibleChassis: patch.compatibleChassis ?? cur.compatible_chassis,
      minStock: patch.minStock ?? cur.min_stock,
      minStockBySite:
        patch.minStockBySite ??
        Object.entries(cur.min_stock_by_site).map(([site, minimum]) => ({ site, minimum })),
      serialTracked: patch.serialTracked ?? cur.serial_tracked,
    };
    if (merged.serialTracked !== cur.serial_tracked) {
      const levels = await this.repo.levels(cur.id);
      if (levels.some((l) => l.on_hand > 0)) {
        throw new DomainError(
          'CONFLICT',
          'serial tracking can only change while the part has no stock',
          'PART_HAS_STOCK',
        );
      }
    }
    const part = await this.repo.updatePart(cur.id, this.toPartWrite(merged));
    await this.evaluateAllSites(part.id);
    return part;
  }

  /** A part by its part number or any alias (case and separators ignored). */
  async part(partNumber: string): Promise<PartRow> {
    const key = partKey(partNumber ?? '');
    const part = key ? await this.repo.partByKey(key) : null;
    if (!part) throw partNotFound(partNumber);
    return part;
  }

  partsByIds(ids: readonly number[]): Promise<PartRow[]> {
    return this.repo.partsByIds(ids);
  }

  parts(f: {
    kind?: string | null;
    search?: string | null;
    chassis?: string | null;
    first: number;
  }) {
    if (f.first < 1 || f.first > 1000) throw badInput('first must be between 1 and 1000');
    return this.repo.listParts({
      kind: f.kind?.trim() || undefined,
      search: f.search?.trim() || undefined,
      chassisKey: f.chassis?.trim() ? chassisKey(f.chassis) : undefined,
      limit: f.first,
    });
  }

  // ------------------------------------------------------------ locations

  createLocation(l: {
    site: string;
    room?: string | null;
    rack?: string | null;
    bin?: string | null;
  }) {
    return this.repo.insertLocation({
      site: text(l.site, 'site', true)!,
      room: text(l.room, 'room') ?? '',
      rack: text(l.rack, 'rack') ?? '',
      bin: text(l.bin, 'bin') ?? '',
    });
  }

  locations(site?: string | null): Promise<LocationRow[]> {
    return this.repo.locations(site?.trim() || undefined);
  }

  locationsByIds(ids: readonly number[]): Promise<LocationRow[]> {
    return this.repo.locationsByIds(ids);
  }

  private async location(id: number): Promise<LocationRow> {
    const [loc] = await this.repo.locationsByIds([id]);
    if (!loc) throw locationNotFound(id);
    return loc;
  }

  // ---------------------------------------------------------------- stock

  async stock(partNumber: string, site?: string | null): Promise<StockReport> {
    const part = await this.part(partNumber);
    const s = site?.trim() || undefined;
    if (s && !(await this.repo.siteExists(s))) throw siteNotFound(s);
    const levels = await this.repo.levels(part.id, s);
    const sites = s ? [s] : await this.repo.sites();
    const bySite = sites.map((name) => siteStock(part, name, levels));
    return {
      part,
      levels,
      sites: bySite,
      onHand: sum(levels.map((l) => l.on_hand)),
      reserved: sum(levels.map((l) => l.reserved)),
      available: sum(levels.map((l) => l.on_hand - l.reserved)),
    };
  }

  private serials(part: PartRow, quantity: number, serials: string[] | null | undefined) {
    const list = serials?.map((s) => s.trim()).filter(Boolean) ?? [];
    if (!part.serial_tracked) {
      if (list.length) {
        throw badInput(`part ${part.part_number} is not tracked by serial; omit serials`);
      }
      return null;
    }
    if (new Set(list).size !== list.length) throw badInput('serials contain duplicates');
    return list.length ? list : null;
  }

  private requireSerials(part: PartRow, quantity: number, list: string[] | null): string[] {
    if (!list || list.length !== quantity) {
      throw new DomainError(
        'BAD_USER_INPUT',
        `part ${part.part_number} is tracked by serial: give exactly ${quantity} serial number(s)`,
        'SERIALS_REQUIRED',
        { quantity, given: list?.length ?? 0 },
      );
    }
    return list;
  }

  async receiveStock(
    a: {
      partNumber: string;
      locationId: number;
      quantity: number;
      serials?: string[] | null;
      reference?: string | null;
      idempotencyKey?: string | null;
    },
    actor: Actor,
  ): Promise<StockReport> {
    const quantity = checkQuantity(a.quantity);
    const part = await this.part(a.partNumber);
    const loc = await this.location(a.locationId);
    let serials = this.serials(part, quantity, a.serials);
    if (part.serial_tracked) serials = this.requireSerials(part, quantity, serials);
    const reference = text(a.reference, 'reference');
    await this.repo.receive({
      partId: part.id,
      locationId: loc.id,
      quantity,
      serials,
      actor: actor.name,
      reason: null,
      reference,
      idempotencyKey: text(a.idempotencyKey, 'idempotencyKey'),
      hash: requestHash({ p: part.id, l: loc.id, quantity, serials, reference }),
    });
    await this.afterChange(part.id, [loc.site]);
    return this.stock(part.part_number, loc.site);
  }

  async adjustStock(
    a: {
      partNumber: string;
      locationId: number;
      delta: number;
      reason: string;
      serials?: string[] | null;
      reference?: string | null;
      idempotencyKey?: string | null;
    },
    actor: Actor,
  ): Promise<StockReport> {
    const delta = checkDelta(a.delta);
    const reason = text(a.reason, 'reason', true)!;
    const part = await this.part(a.partNumber);
    const loc = await this.location(a.locationId);
    let serials = this.serials(part, Math.abs(delta), a.serials);
    if (part.serial_tracked && delta > 0) serials = this.requireSerials(part, delta, serials);
    if (serials && serials.length !== Math.abs(delta)) {
      throw badInput(`give exactly ${Math.abs(delta)} serial number(s) or none`);
    }
    const reference = text(a.reference, 'reference');
    await this.repo.adjust({
      partId: part.id,
      partNumber: part.part_number,
      serialTracked: part.serial_tracked,
      locationId: loc.id,
      delta,
      serials,
      actor: actor.name,
      reason,
      reference,
      idempotencyKey: text(a.idempotencyKey, 'idempotencyKey'),
      hash: requestHash({ p: part.id, l: loc.id, delta, serials, reason, reference }),
    });
    await this.afterChange(part.id, [loc.site]);
    return this.stock(part.part_number, loc.site);
  }

  async transferStock(
    a: {
      partNumber: string;
      fromLocationId: number;
      toLocationId: number;
      quantity: number;
      serials?: string[] | null;
      reason?: string | null;
      reference?: string | null;
      idempotencyKey?: string | null;
    },
    actor: Actor,
  ): Promise<StockReport> {
    const quantity = checkQuantity(a.quantity);
    if (a.fromLocationId === a.toLocationId) {
      throw badInput('fromLocationId and toLocationId must differ');
    }
    const part = await this.part(a.partNumber);
    const from = await this.location(a.fromLocationId);
    const to = await this.location(a.toLocationId);
    const serials = this.serials(part, quantity, a.serials);
    if (serials && serials.length !== quantity) {
      throw badInput(`give exactly ${quantity} serial number(s) or none`);
    }
    const reason = text(a.reason, 'reason');
    const reference = text(a.reference, 'reference');
    await this.repo.transfer({
      partId: part.id,
      partNumber: part.part_number,
      serialTracked: part.serial_tracked,
      fromLocationId: from.id,
      toLocationId: to.id,
      quantity,
      serials,
      actor: actor.name,
      reason,
      reference,
      idempotencyKey: text(a.idempotencyKey, 'idempotencyKey'),
      hash: requestHash({ p: part.id, f: from.id, t: to.id, quantity, serials, reason, reference }),
    });
    await this.afterChange(part.id, [from.site, to.site]);
    return this.stock(part.part_number);
  }

  movements(partNumber: string | null | undefined, site: string | null | undefined, first: number) {
    return this.movementsFor(partNumber ?? undefined, site ?? undefined, first);
  }

  private async movementsFor(
    partNumber: string | undefined,
    site: string | undefined,
    first: number,
  ): Promise<MovementRow[]> {
    if (first < 1 || first > 1000) throw badInput('first must be between 1 and 1000');
    const partId = partNumber ? (await this.part(partNumber)).id : undefined;
    const locationIds = site ? (await this.repo.locations(site)).map((l) => l.id) : undefined;
    return this.repo.movements({ partId, locationIds, limit: first });
  }

  // --------------------------------------------------------- reservations

  private ttlMs(expiresIn: string | null | undefined): number {
    const ms = expiresIn
      ? parseDuration(expiresIn)
      : this.config.env.RESERVATION_DEFAULT_TTL_HOURS * 3_600_000;
    const max = this.config.env.RESERVATION_MAX_TTL_HOURS * 3_600_000;
    if (ms > max) {
      throw badInput(`expiresIn must be at most ${this.config.env.RESERVATION_MAX_TTL_HOURS}h`, {
        field: 'expiresIn',
      });
    }
    return ms;
  }

  /**
   * Reserves units of a part at a site (any location there, or the one named). Replaying an
   * idempotency key returns the first reservation and changes nothing; reusing it with other
   * arguments is a CONFLICT.
   */
  async reserve(input: ReserveInput, actor: Actor): Promise<ReservationRow> {
    const quantity = checkQuantity(input.quantity);
    const site = text(input.site, 'site', true)!;
    if (!FOR_KINDS.includes(input.forKind)) {
      throw badInput(`for.kind must be one of ${FOR_KINDS.join(', ')}`);
    }
    const forRef = text(input.forRef, 'for.ref', true)!;
    const note = text(input.note, 'note');
    const idempotencyKey = text(input.idempotencyKey, 'idempotencyKey');
    const expiresIn = input.expiresIn?.trim() || null;
    const ttlMs = this.ttlMs(expiresIn);
    const key = partKey(input.partNumber ?? '');
    if (!key) throw partNotFound(input.partNumber);
    const locationId = input.locationId ?? null;
    // Fingerprint of the request; `p` (the part id) is filled in once the part is known.
    const hashArgs = { site, locationId, quantity, k: input.forKind, forRef, note, expiresIn };
    const request = {
      site,
      locationId,
      quantity,
      forKind: input.forKind,
      forRef,
      note,
      actor: actor.name,
      actorKeyId: actor.keyId,
      ttlMs,
      idempotencyKey,
    };
    // One statement does the usual case: one location holds the whole quantity.
    const attempt = await this.repo.reserveAttempt({
      ...request,
      partKey: key,
      hashAround: idempotencyKey ? requestHashAround(hashArgs, 'p') : null,
    });
    const part = attempt.part;
    if (!part) throw partNotFound(input.partNumber);
    checkPlace(attempt, site, locationId);
    const hash = idempotencyKey ? requestHash({ ...hashArgs, p: part.id }) : null;
    if (attempt.reservation) {
      await this.afterChange(part.id, [site], part);
      return attempt.reservation;
    }
    if (attempt.keyTaken) return this.replay(idempotencyKey!, hash!);
    if (attempt.available < quantity) {
      // Too few free units when the statement ran: a refusal as of that moment.
      const where = locationId !== null ? `location ${locationId}` : `site ${site}`;
      throw insufficientStock(part.part_number, where, quantity, attempt.available);
    }
    // Serial-tracked, spread over locations, or a race lost: the locking transaction decides.
    const { reservation, replayed } = await this.repo.reserve({
      ...request,
      partId: part.id,
      partNumber: part.part_number,
      serialTracked: part.serial_tracked,
      requestHash: hash,
    });
    if (!replayed) await this.afterChange(part.id, [site], part);
    return reservation;
  }

  /** The reservation first made with this idempotency key, if these are its arguments. */
  private async replay(idempotencyKey: string, hash: string): Promise<ReservationRow> {
    const existing = await this.repo.reservationByKey(idempotencyKey);
    if (!existing || existing.request_hash !== hash) throw idempotencyConflict(idempotencyKey);
    return existing;
  }

  async reservation(id: number): Promise<ReservationRow> {
    const r = await this.repo.reservationById(id);
    if (!r) throw reservationNotFound(id);
    return r;
  }

  async release(id: number, actor: Actor, reason?: string | null): Promise<ReservationRow> {
    const r = await this.closeOrExpire(id, 'released', actor, text(reason, 'reason'));
    await this.afterChange(r.part_id, [r.site]);
    return r;
  }

  /** The units leave stock (installed). Refused once expired, released or consumed. */
  async consume(
    id: number,
    actor: Actor,
    opts: { site?: string | null; reason?: string | null } = {},
  ): Promise<ReservationRow> {
    const site = opts.site?.trim() || null;
    const r = await this.closeOrExpire(
      id,
      'consumed',
      actor,
      text(opts.reason, 'reason'),
      (res) => {
        if (site && site !== res.site) {
          throw wrongSite(`reservation ${id} holds units at site ${res.site}, not ${site}`, {
            id,
            reservationSite: res.site,
            site,
          });
        }
      },
    );
    await this.afterChange(r.part_id, [r.site]);
    return r;
  }

  private async closeOrExpire(
    id: number,
    to: 'consumed' | 'released',
    actor: Actor,
    reason: string | null,
    guard?: (r: ReservationRow) => void,
  ): Promise<ReservationRow> {
    try {
      return await this.repo.close(id, to, actor.name, reason, guard);
    } catch (e) {
      // Past its expiry but not swept yet: expire it now, then refuse.
      if (e instanceof DomainError && e.reason === 'RESERVATION_EXPIRED') {
        await this.expireOne(id).catch(() => undefined);
      }
      throw e;
    }
  }

  async extend(id: number, expiresIn: string, _actor: Actor): Promise<ReservationRow> {
    const ttl = this.ttlMs(expiresIn);
    const r = await this.repo.extend(id, ttl);
    if (r) return r;
    const cur = await this.reservation(id);
    if (cur.status !== 'held') throw reservationClosed(id, cur.status);
    await this.expireOne(id).catch(() => undefined);
    throw reservationExpired(id, cur.expires_at);
  }

  reservations(f: {
    partNumber?: string | null;
    site?: string | null;
    statuses?: string[] | null;
    forKind?: string | null;
    forRef?: string | null;
    actor?: string | null;
    expiringBefore?: Date | null;
    afterId?: number | null;
    first: number;
  }): Promise<ReservationRow[]> {
    return (async () => {
      if (f.first < 1 || f.first > 1000) throw badInput('first must be between 1 and 1000');
      const partId = f.partNumber ? (await this.part(f.partNumber)).id : undefined;
      return this.repo.listReservations({
        partId,
        site: f.site?.trim() || undefined,
        statuses: f.statuses ?? undefined,
        forKind: f.forKind ?? undefined,
        forRef: f.forRef?.trim() || undefined,
        actor: f.actor?.trim() || undefined,
        expiringBefore: f.expiringBefore ?? undefined,
        afterId: f.afterId ?? undefined,
        limit: f.first,
      });
    })();
  }

  linesFor(ids: readonly number[]): Promise<ReservationLineRow[]> {
    return this.repo.linesFor(ids);
  }

  serialsFor(ids: readonly number[]) {
    return this.repo.serialsFor(ids);
  }

  private async expireOne(id: number): Promise<ReservationRow> {
    const r = await this.repo.close(id, 'expired', 'system:expiry', 'reservation expired');
    await this.afterChange(r.part_id, [r.site]);
    return r;
  }

  /**
   * Releases every held reservation past its expiry (the sweeper job). Each is ended in its
   * own transaction guarded on status, so concurrent sweepers or a racing consume never
   * double-release. Also re-evaluates low-stock alerts for every part and site.
   */
  async expireDue(batch = 500): Promise<{ expired: number }> {
    let expired = 0;
    for (;;) {
      const due = await this.repo.dueForExpiry(batch);
      let progressed = 0;
      for (const r of due) {
        try {
          await this.repo.close(r.id, 'expired', 'system:expiry', 'reservation expired');
          expired++;
          progressed++;
        } catch (e) {
          if (!(e instanceof DomainError)) throw e;
        }
      }
      if (due.length < batch || progressed === 0) break;
    }
    await this.repo.evaluateLowStock();
    if (expired) this.log.info({ expired }, 'expired reservations released');
    return { expired };
  }

  reconcile(): Promise<ReconcileReport> {
    return this.repo.reconcile();
  }

  // ----------------------------------------------------- compatibility

  async compatibleParts(chassis: string): Promise<PartRow[]> {
    const key = chassisKey(text(chassis, 'chassis', true)!);
    if (!key) throw badInput(`'${chassis}' does not name a chassis model`);
    return this.repo.partsForChassis([key]);
  }

  /** Spares that fit a chassis (or a fleet need's chassis) and how many are free per site. */
  async sparesCoverage(a: {
    chassis?: string | null;
    fleetNeedId?: number | null;
  }): Promise<Coverage[]> {
    let keys: string[];
    if (a.chassis?.trim()) {
      keys = [chassisKey(a.chassis)].filter(Boolean);
    } else if (a.fleetNeedId != null) {
      const chassis = await this.repo.fleetNeedChassis(a.fleetNeedId);
      if (chassis === null) {
        throw new DomainError(
          'NOT_FOUND',
          `fleet need ${a.fleetNeedId} not found`,
          'FLEET_NEED_NOT_FOUND',
          {
            id: a.fleetNeedId,
          },
        );
      }
      keys = chassis.map(chassisKey).filter(Boolean);
      if (!keys.length) {
        throw badInput(`fleet need ${a.fleetNeedId} names no chassis model`, {
          fleetNeedId: a.fleetNeedId,
        });
      }
    } else {
      throw badInput('give chassis or fleetNeedId');
    }
    if (!keys.length) throw badInput(`'${a.chassis ?? ''}' does not name a chassis model`);
    const parts = await this.repo.partsForChassis(keys);
    const sites = await this.repo.sites();
    const avail = await this.repo.availableBySite(parts.map((p) => p.id));
    return parts.map((part) => {
      const rows = sites.map((site) => {
        const r = avail.find((x) => x.part_id === part.id && x.site === site);
        const minimum = minimumFor(
          { minStock: part.min_stock, minStockBySite: part.min_stock_by_site },
          site,
        );
        const available = r?.available ?? 0;
        return {
          site,
          onHand: r?.on_hand ?? 0,
          reserved: (r?.on_hand ?? 0) - available,
          available,
          minimum,
          belowMinimum: available < minimum,
        };
      });
      return { part, sites: rows, totalAvailable: sum(rows.map((r) => r.available)) };
    });
  }

  // ----------------------------------------------------- low stock, market

  private async afterChange(partId: number, sites: string[], part?: PartMinimums): Promise<void> {
    // Parts without a minimum at these sites cannot go low (minimum changes re-evaluate).
    if (part && sites.every((s) => minimumFor(minimumsOf(part), s) === 0)) return;
    try {
      await this.repo.evaluateLowStock([...new Set(sites)].map((site) => ({ partId, site })));
    } catch (e) {
      // The stock change is committed; the sweeper re-evaluates every part and site.
      this.log.warn({ err: e, partId }, 'low-stock evaluation failed');
    }
  }

  private async evaluateAllSites(partId: number): Promise<void> {
    const sites = await this.repo.sites();
    const part = (await this.repo.partsByIds([partId]))[0];
    const all = new Set([...sites, ...Object.keys(part?.min_stock_by_site ?? {})]);
    if (all.size) await this.afterChange(partId, [...all]);
  }

  async sourcingSuggestions(partNumber: string, first = 20): Promise<ListingMatchRow[]> {
    if (first < 1 || first > 200) throw badInput('first must be between 1 and 200');
    const part = await this.part(partNumber);
    const variants = [...new Set([part.part_number, ...part.aliases].flatMap(partNumberVariants))];
    return this.repo.listingsMatching(variants, first);
  }

  stockAlerts(open = true): Promise<StockAlertRow[]> {
    return this.repo.stockAlerts({ open, unnotifiedOnly: false });
  }

  /**
   * For the email path: open low-stock alerts not yet notified, with the part, its
   * subscribers and the best current offers. Call markStockAlertNotified(id) once sent.
   */
  async openStockAlerts(
    opts: { includeNotified?: boolean; offers?: number } = {},
  ): Promise<OpenStockAlert[]> {
    const alerts = await this.repo.stockAlerts({
      open: true,
      unnotifiedOnly: !opts.includeNotified,
    });
    if (!alerts.length) return [];
    const partIds = [...new Set(alerts.map((a) => a.part_id))];
    const parts = new Map((await this.repo.partsByIds(partIds)).map((p) => [p.id, p]));
    const subs = await this.repo.subscribers(partIds);
    const offers = new Map<number, ListingMatchRow[]>();
    for (const id of partIds) {
      const p = parts.get(id)!;
      offers.set(id, await this.sourcingSuggestions(p.part_number, opts.offers ?? 5));
    }
    return alerts.map((a) => {
      const p = parts.get(a.part_id)!;
      return {
        ...a,
        partNumber: p.part_number,
        aliases: p.aliases,
        kind: p.kind,
        description: p.description,
        subscribers: subs.filter((s) => s.part_id === a.part_id).map((s) => s.email),
        offers: offers.get(a.part_id) ?? [],
      };
    });
  }

  /** True when the alert was open for notification and is now marked as sent. */
  markStockAlertNotified(id: number): Promise<boolean> {
    return this.repo.markAlertNotified(id);
  }

  async subscribers(partNumber: string): Promise<string[]> {
    const part = await this.part(partNumber);
    return (await this.repo.subscribers([part.id])).map((s) => s.email);
  }

  async subscribe(partNumber: string, email: string): Promise<string[]> {
    const part = await this.part(partNumber);
    await this.repo.addSubscriber(part.id, checkEmail(email));
    return this.subscribers(part.part_number);
  }

  async unsubscribe(partNumber: string, email: string): Promise<string[]> {
    const part = await this.part(partNumber);
    await this.repo.removeSubscriber(part.id, email.trim());
    return this.subscribers(part.part_number);
  }
}

/** Refuses an unknown site, an unknown location or one at another site than asked. */
function checkPlace(
  seen: Pick<ReserveAttemptResult, 'locationSite' | 'siteExists'>,
  site: string,
  locationId: number | null,
): void {
  if (locationId === null) {
    if (!seen.siteExists) throw siteNotFound(site);
    return;
  }
  if (seen.locationSite === null) throw locationNotFound(locationId);
  if (seen.locationSite !== site) {
    throw wrongSite(`location ${locationId} is at site ${seen.locationSite}, not ${site}`, {
      locationId,
      locationSite: seen.locationSite,
      site,
    });
  }
}

function minimumsOf(p: PartMinimums) {
  return { minStock: p.min_stock, minStockBySite: p.min_stock_by_site };
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

function siteStock(part: PartRow, site: string, levels: LevelRow[]): SiteStock {
  const at = levels.filter((l) => l.site === site);
  const onHand = sum(at.map((l) => l.on_hand));
  const reserved = sum(at.map((l) => l.reserved));
  const minimum = minimumFor(
    { minStock: part.min_stock, minStockBySite: part.min_stock_by_site },
    site,
  );
  return {
    site,
    onHand,
    reserved,
    available: onHand - reserved,
    minimum,
    belowMinimum: onHand - reserved < minimum,
  };
}
