import { ListingEntity } from './listing.entity';
import { ListingModel, ListingStatusGql, PriceObservationModel } from './listing.model';
import { PriceObservationEntity } from './price-observation.entity';

export function toListingModel(e: ListingEntity): ListingModel {
  return {
    id: String(e.id),
    sourceId: e.sourceId,
    externalId: e.externalId,
    title: e.title,
    url: e.url,
    condition: e.condition,
    buyingFormat: e.buyingFormat,
    bestOffer: e.bestOffer,
    bids: e.bids,
    endsAt: e.endsAt,
    seller: e.seller,
    location: e.location,
    currency: e.currency,
    price: e.price,
    priceMax: e.priceMax,
    shipping: e.shipping,
    quantityAvailable: e.quantityAvailable,
    status: e.status as ListingStatusGql,
    attributes: Object.entries(e.attributes ?? {}).map(([key, value]) => ({ key, value })),
    imageUrl: e.imageUrl,
    firstSeenAt: e.firstSeenAt,
    lastSeenAt: e.lastSeenAt,
    endedAt: e.endedAt,
  };
}

export function toObservationModel(o: PriceObservationEntity): PriceObservationModel {
  return {
    id: String(o.id),
    observedAt: o.observedAt,
    currency: o.currency,
    price: o.price,
    priceMax: o.priceMax,
    shipping: o.shipping,
    status: o.status as ListingStatusGql,
    quantityAvailable: o.quantityAvailable,
  };
}
