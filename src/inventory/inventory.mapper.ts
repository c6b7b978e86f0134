import type {
  LevelRow,
  ListingMatchRow,
  LocationRow,
  MovementRow,
  PartRow,
  ReservationRow,
  StockAlertRow,
} from './inventory.repository';
import { locationLabel } from './inventory.repository';
import type { Coverage, StockReport } from './inventory.service';
import {
  PartModel,
  ReservationForKindGql,
  ReservationModel,
  ReservationStatusGql,
  SourcingSuggestionModel,
  SparesCoverageModel,
  StockAlertModel,
  StockLocationModel,
  StockModel,
  StockMovementModel,
} from './inventory.model';

export const toPartModel = (p: PartRow): PartModel => ({
  id: String(p.id),
  partNumber: p.part_number,
  manufacturer: p.manufacturer,
  aliases: p.aliases,
  kind: p.kind,
  description: p.description,
  compatibleChassis: p.compatible_chassis,
  minStock: p.min_stock,
  minStockBySite: Object.entries(p.min_stock_by_site).map(([site, minimum]) => ({
    site,
    minimum,
  })),
  serialTracked: p.serial_tracked,
});

export const toLocationModel = (
  l: Pick<LocationRow, 'id' | 'site' | 'room' | 'rack' | 'bin'>,
): StockLocationModel => ({
  id: String(l.id),
  site: l.site,
  room: l.room,
  rack: l.rack,
  bin: l.bin,
  label: locationLabel(l),
});

const toLevel = (l: LevelRow) => ({
  location: toLocationModel({ ...l, id: l.location_id }),
  onHand: l.on_hand,
  reserved: l.reserved,
  available: l.on_hand - l.reserved,
});

export const toStockModel = (s: StockReport): StockModel => ({
  part: toPartModel(s.part),
  onHand: s.onHand,
  reserved: s.reserved,
  available: s.available,
  sites: s.sites,
  levels: s.levels.map(toLevel),
});

export const toReservationModel = (r: ReservationRow): ReservationModel => ({
  id: String(r.id),
  partId: r.part_id,
  site: r.site,
  locationId: r.location_id === null ? null : String(r.location_id),
  quantity: r.quantity,
  purpose: { kind: r.for_kind as ReservationForKindGql, ref: r.for_ref, note: r.note },
  actor: r.actor,
  status: r.status as ReservationStatusGql,
  expiresAt: r.expires_at,
  createdAt: r.created_at,
  closedAt: r.closed_at,
  closedBy: r.closed_by,
  idempotencyKey: r.idempotency_key,
});

export const toMovementModel = (m: MovementRow): StockMovementModel => ({
  id: String(m.id),
  at: m.at,
  kind: m.kind,
  partId: String(m.part_id),
  locationId: String(m.location_id),
  onHandDelta: m.on_hand_delta,
  reservedDelta: m.reserved_delta,
  reservationId: m.reservation_id === null ? null : String(m.reservation_id),
  actor: m.actor,
  reason: m.reason,
  reference: m.reference,
  serials: m.serials,
});

export const toCoverageModel = (c: Coverage): SparesCoverageModel => ({
  part: toPartModel(c.part),
  totalAvailable: c.totalAvailable,
  sites: c.sites,
});

export const toSuggestionModel = (l: ListingMatchRow): SourcingSuggestionModel => ({
  listingId: String(l.id),
  title: l.title,
  url: l.url,
  currency: l.currency,
  price: l.price,
  effectivePrice: l.effective_price,
  seller: l.seller,
  condition: l.condition,
  matchedBy: l.matched_by,
});

export const toAlertModel = (a: StockAlertRow): StockAlertModel => ({
  id: String(a.id),
  partId: a.part_id,
  site: a.site,
  available: a.available,
  minimum: a.minimum,
  createdAt: a.created_at,
  notifiedAt: a.notified_at,
  resolvedAt: a.resolved_at,
});
