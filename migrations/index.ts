import { Foundation1795000000000 } from './1795000000000-Foundation';
import { ListingSpecs1795000100000 } from './1795000100000-ListingSpecs';
import { PricingSettingsAndBaseline1795000150000 } from './1795000150000-PricingSettingsAndBaseline';
import { MarketDirtyKeys1795000160000 } from './1795000160000-MarketDirtyKeys';
import { ApiKeys1795000200000 } from './1795000200000-ApiKeys';
import { Inventory1795000300000 } from './1795000300000-Inventory';
import { ListingSeen1795000400000 } from './1795000400000-ListingSeen';
import { FleetNeeds1795000500000 } from './1795000500000-FleetNeeds';
import { ListingOrderIndexes1795000510000 } from './1795000510000-ListingOrderIndexes';
import { Alerts1795000600000 } from './1795000600000-Alerts';
import { AlertEvaluationIndexes1795000610000 } from './1795000610000-AlertEvaluationIndexes';
import { AlertEventIndexTrim1795000620000 } from './1795000620000-AlertEventIndexTrim';
import { ListingWriteDiet1795000700000 } from './1795000700000-ListingWriteDiet';
import { ListingHotRewrite1795000800000 } from './1795000800000-ListingHotRewrite';

/**
 * Every migration, in order. Listed explicitly (not globbed) so the same list works from
 * compiled JavaScript, from Jest and from the TypeORM CLI. Add new migrations here.
 */
export const migrations = [
  Foundation1795000000000,
  ListingSpecs1795000100000,
  PricingSettingsAndBaseline1795000150000,
  MarketDirtyKeys1795000160000,
  ApiKeys1795000200000,
  Inventory1795000300000,
  ListingSeen1795000400000,
  FleetNeeds1795000500000,
  ListingOrderIndexes1795000510000,
  Alerts1795000600000,
  AlertEvaluationIndexes1795000610000,
  AlertEventIndexTrim1795000620000,
  ListingWriteDiet1795000700000,
  ListingHotRewrite1795000800000,
];
