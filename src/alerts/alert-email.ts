import { priceChartPng, PricePoint } from '../mail/chart';

/** Everything one alert event shows in an email (loaded by the service, rendered here, pure). */
export interface EmailEvent {
  eventId: number;
  ruleId: number;
  ruleName: string;
  kind: string;
  price: number | null;
  previousPrice: number | null;
  referencePrice: number | null;
  currency: string | null;
  createdAt: Date;
  unsubscribeUrl: string;
  listing: {
    id: number;
    title: string;
    url: string | null;
    condition: string | null;
    seller: string | null;
    status: string;
    specs: Array<[string, string]>;
    metrics: Array<[string, string]>;
  };
  history: PricePoint[];
  /** Market baseline lines, or null when no baseline is available (a note says so). */
  baseline: string[] | null;
  /** Extra lines the event carries (a fleet need's plan). */
  notes?: string[];
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
  attachments: Array<{ filename: string; content: Buffer; cid: string; contentType: string }>;
}

const KIND_LABEL: Record<string, string> = {
  watch: 'Price drop',
  search: 'Saved search match',
  market_low: 'Market low',
  stock: 'Back in stock',
  fleet: 'Fleet need',
};

export function money(v: number | null, currency: string | null): string {
  if (v == null) return 'n/a';
  return `${currency ?? ''} ${v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`.trim();
}

export function priceChange(e: Pick<EmailEvent, 'price' | 'previousPrice' | 'currency'>): string {
  if (e.price == null) return 'price unknown';
  if (e.previousPrice == null || e.previousPrice === 0) return `now ${money(e.price, e.currency)}`;
  const delta = e.price - e.previousPrice;
  const pct = (delta / e.previousPrice) * 100;
  const sign = delta < 0 ? '-' : '+';
  return `${money(e.previousPrice, e.currency)} -> ${money(e.price, e.currency)} (${sign}${money(Math.abs(delta), e.currency)}, ${pct.toFixed(1)}%)`;
}

const esc = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** One email for one or many events (a digest), with an HTML and a plain-text part. */
export function renderAlertEmail(
  events: EmailEvent[],
  opts: { publicUrl: string; digest?: 'hourly' | 'daily'; maxCharts?: number },
): RenderedEmail {
  const attachments: RenderedEmail['attachments'] = [];
  const chartCid = new Map<number, string>();
  const maxCharts = opts.maxCharts ?? 20;
  for (const e of events) {
    if (chartCid.has(e.listing.id) || chartCid.size >= maxCharts || e.history.length === 0)
      continue;
    const cid = `chart-${e.listing.id}@rackhound`;
    chartCid.set(e.listing.id, cid);
    attachments.push({
      filename: `price-history-${e.listing.id}.png`,
      content: priceChartPng(e.history, { reference: e.referencePrice }),
      cid,
      contentType: 'image/png',
    });
  }
  const first = events[0];
  const subject = opts.digest
    ? `Rackhound ${opts.digest} digest: ${events.length} alert${events.length === 1 ? '' : 's'}`
    : first
      ? `${KIND_LABEL[first.kind] ?? 'Alert'}: ${first.listing.title} ${first.price != null ? `at ${money(first.price, first.currency)}` : ''}`.trim()
      : 'Rackhound alert';

  const text: string[] = [subject, ''];
  const html: string[] = [
    `<!doctype html><html><body style="font-family:Arial,sans-serif;color:#111">`,
    `<h2>${esc(subject)}</h2>`,
  ];
  for (const e of events) {
    const link = `${opts.publicUrl.replace(/\/$/, '')}/listings/${e.listing.id}`;
    const history = e.history.length
      ? `${e.history.length} observations, low ${money(Math.min(...e.history.map((p) => p.price)), e.currency)}, high ${money(Math.max(...e.history.map((p) => p.price)), e.currency)}`
      : 'no price history yet';
    text.push(
      `== ${KIND_LABEL[e.kind] ?? e.kind} (rule "${e.ruleName}") ==`,
      e.listing.title,
      `Price: ${priceChange(e)}`,
      ...(e.notes ?? []),
      ...(e.referencePrice != null ? [`Reference: ${money(e.referencePrice, e.currency)}`] : []),
      `Status: ${e.listing.status}${e.listing.condition ? `, ${e.listing.condition}` : ''}${e.listing.seller ? `, seller ${e.listing.seller}` : ''}`,
      `Specs: ${e.listing.specs.length ? e.listing.specs.map(([k, v]) => `${k} ${v}`).join('; ') : 'not parsed yet'}`,
      `Valuation: ${e.listing.metrics.length ? e.listing.metrics.map(([k, v]) => `${k} ${v}`).join('; ') : 'no metrics yet'}`,
      `Market baseline: ${e.baseline ? e.baseline.join('; ') : 'not available (no market baseline for this configuration yet)'}`,
      `Price history: ${history}`,
      `Details: ${link}`,
      ...(e.listing.url ? [`Listing: ${e.listing.url}`] : []),
      `Unsubscribe from this rule: ${e.unsubscribeUrl}`,
      '',
    );
    const cid = chartCid.get(e.listing.id);
    const rows = (pairs: Array<[string, string]>) =>
      pairs
        .map(
          ([k, v]) =>
            `<tr><td style="color:#555;padding-right:12px">${esc(k)}</td><td>${esc(v)}</td></tr>`,
        )
        .join('');
    html.push(
      `<div style="border:1px solid #ddd;border-radius:6px;padding:12px;margin:12px 0">`,
      `<div style="color:#555;font-size:12px">${esc(KIND_LABEL[e.kind] ?? e.kind)} &middot; rule &ldquo;${esc(e.ruleName)}&rdquo;</div>`,
      `<h3 style="margin:6px 0"><a href="${esc(link)}">${esc(e.listing.title)}</a></h3>`,
      `<p style="font-size:16px"><b>${esc(priceChange(e))}</b>${e.referencePrice != null ? ` &middot; reference ${esc(money(e.referencePrice, e.currency))}` : ''}</p>`,
      ...(e.notes ?? []).map((n) => `<p>${esc(n)}</p>`),
      cid ? `<img src="cid:${esc(cid)}" alt="Price history chart" width="480" height="160">` : '',
      `<p style="font-size:12px;color:#555">Price history: ${esc(history)}</p>`,
      `<table style="font-size:13px"><tr><th colspan="2" align="left">Specs</th></tr>${e.listing.specs.length ? rows(e.listing.specs) : '<tr><td colspan="2">not parsed yet</td></tr>'}`,
      `<tr><th colspan="2" align="left">Valuation</th></tr>${e.listing.metrics.length ? rows(e.listing.metrics) : '<tr><td colspan="2">no metrics yet</td></tr>'}`,
      `<tr><th colspan="2" align="left">Market baseline</th></tr><tr><td colspan="2">${esc(e.baseline ? e.baseline.join('; ') : 'not available (no market baseline for this configuration yet)')}</td></tr></table>`,
      `<p><a href="${esc(link)}">Open in Rackhound</a>${e.listing.url ? ` &middot; <a href="${esc(e.listing.url)}">View listing</a>` : ''}</p>`,
      `<p style="font-size:11px;color:#777"><a href="${esc(e.unsubscribeUrl)}">Unsubscribe from &ldquo;${esc(e.ruleName)}&rdquo;</a></p>`,
      `</div>`,
    );
  }
  html.push(`</body></html>`);
  return { subject, text: text.join('\n'), html: html.join('\n'), attachments };
}

/** A low-stock email for a part: the shortfall and the best current offers (pure). */
export interface LowStockEmail {
  partNumber: string;
  description: string | null;
  site: string;
  available: number;
  minimum: number;
  offers: Array<{
    id: number;
    title: string;
    url: string | null;
    price: number | null;
    currency: string | null;
    seller: string | null;
  }>;
}

export function renderLowStockEmail(
  a: LowStockEmail,
  opts: { publicUrl: string },
): Omit<RenderedEmail, 'attachments'> {
  const base = opts.publicUrl.replace(/\/$/, '');
  const subject = `Rackhound low stock: ${a.partNumber} at ${a.site} (${a.available} of minimum ${a.minimum})`;
  const offerLine = (o: LowStockEmail['offers'][number]) =>
    `${money(o.price, o.currency)}  ${o.title}${o.seller ? ` (seller ${o.seller})` : ''}`;
  const text = [
    subject,
    '',
    `Part: ${a.partNumber}${a.description ? ` - ${a.description}` : ''}`,
    `Site: ${a.site}: ${a.available} available, minimum ${a.minimum}`,
    '',
    a.offers.length ? 'Best current offers:' : 'No current offers found for this part.',
    ...a.offers.map(
      (o) => `- ${offerLine(o)}: ${base}/listings/${o.id}${o.url ? ` ${o.url}` : ''}`,
    ),
  ].join('\n');
  const html = [
    `<!doctype html><html><body style="font-family:sans-serif">`,
    `<h2>${esc(subject)}</h2>`,
    `<p>Part <b>${esc(a.partNumber)}</b>${a.description ? ` &middot; ${esc(a.description)}` : ''}</p>`,
    `<p>Site ${esc(a.site)}: ${a.available} available, minimum ${a.minimum}</p>`,
    a.offers.length
      ? `<h3>Best current offers</h3><ul>${a.offers
          .map(
            (o) =>
              `<li><a href="${esc(`${base}/listings/${o.id}`)}">${esc(offerLine(o))}</a>${o.url ? ` &middot; <a href="${esc(o.url)}">listing</a>` : ''}</li>`,
          )
          .join('')}</ul>`
      : `<p>No current offers found for this part.</p>`,
    `</body></html>`,
  ].join('\n');
  return { subject, text, html };
}
