import { ListingsService } from '../../listings/listings.service';
import { PricingService } from '../../pricing/pricing.service';
import { CliExit, Command, out, withContext } from '../command';

export const valueCommand: Command = {
  usage:
    'value <listingId>\n' +
    '  Values one listing with the current settings and prints the valuation with every input\n' +
    '  it used (specs, catalog rows, FX rates, cloud match, settings, parts medians).',
  async run(args, config) {
    const id = Number(args[0]);
    if (!args[0] || !Number.isSafeInteger(id) || id < 1) {
      throw new CliExit(2, 'value: <listingId> must be a positive integer');
    }
    await withContext(config, async (app) => {
      const pricing = app.get(PricingService);
      await pricing.reload();
      const [listing] = await app.get(ListingsService).byIds([id]);
      if (!listing) throw new CliExit(1, `value: listing ${id} not found`);
      const parts = await pricing.partsMedians(true);
      const { specs, valuation } = pricing.explain(
        {
          title: listing.title,
          attributes: listing.attributes,
          description: listing.description,
          price: listing.price,
          priceMax: listing.priceMax,
          shipping: listing.shipping,
          currency: listing.currency,
          observedAt: listing.lastSeenAt,
        },
        pricing.deps(parts),
      );
      out(
        JSON.stringify(
          {
            listing: {
              id: listing.id,
              title: listing.title,
              storedVersion: listing.valuationVersion,
            },
            valuationVersion: pricing.version,
            specs,
            valuation,
            partsMedians: Object.fromEntries(parts),
            stored: { discountToMarket: listing.discountToMarket, valuedAt: listing.valuedAt },
          },
          null,
          2,
        ),
      );
    });
  },
};
