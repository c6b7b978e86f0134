import type { ListingView } from './listing-row';
import {
  ListingMetricsModel,
  ListingModel,
  ListingSpecsModel,
  ListingStatusGql,
  PriceObservationModel,
} from './listing.model';
import { PriceObservationEntity } from './price-observation.entity';

export function toListingModel(e: ListingView): ListingModel {
  return {
    id: String(e.id),
    sourceId: String(e.sourceId),
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
    specs: toSpecsModel(e),
    metrics: toMetricsModel(e),
  };
}

export function toSpecsModel(e: ListingView): ListingSpecsModel | null {
  const s = e.specs;
  if (!s || !e.kind) return null;
  return {
    kind: e.kind,
    vendor: e.vendor,
    chassis: e.chassis,
    formFactor: e.formFactor,
    cpuModel: e.cpuModel,
    cpuFamily: e.cpuFamily,
    cpuCount: e.cpuCount,
    cores: e.cores,
    threads: e.threads,
    ramGb: e.ramGb,
    ramType: s.ramType ?? null,
    storageGb: e.storageGb,
    driveCount: e.driveCount,
    driveCapacityGb: e.driveCapacityGb,
    gpuModel: e.gpuModel,
    gpuCount: e.gpuCount,
    gpuMemoryGb: e.gpuMemoryGb,
    lotQuantity: e.lotQuantity,
    partNumbers: e.partNumbers ?? [],
    configKey: e.configKey,
    hints: e.hints ?? [],
    confidence: e.specConfidence ?? 0,
    spans: Array.isArray(s.spans) ? s.spans : [],
    unrecognized: Array.isArray(s.unrecognized) ? s.unrecognized : [],
  };
}

export function toMetricsModel(e: ListingView): ListingMetricsModel {
  return {
    effectivePrice: e.effectivePrice,
    cpuScore: e.cpuScore,
    cpuScorePerDollar: e.cpuScorePerDollar,
    dollarsPerCore: e.dollarsPerCore,
    dollarsPerThread: e.dollarsPerThread,
    dollarsPerGbRam: e.dollarsPerGbRam,
    dollarsPerTb: e.dollarsPerTb,
    gpuFp32Tflops: e.gpuFp32Tflops,
    gpuFp16Tflops: e.gpuFp16Tflops,
    tflopsPerDollar: e.tflopsPerDollar,
    dollarsPerGbVram: e.dollarsPerGbVram,
    estimatedWatts: e.estimatedWatts,
    annualEnergyCost: e.annualEnergyCost,
    tco: e.tco,
    breakEvenMonths: e.breakEvenMonths,
    discountToMarket: e.discountToMarket,
    valuationVersion: e.valuationVersion ?? 0,
    valuedAt: e.valuedAt,
    reasons: Object.entries(e.metricReasons ?? {})
      .filter(([, r]) => typeof r === 'string')
      .map(([metric, reason]) => ({ metric, reason })),
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
