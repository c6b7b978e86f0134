/** Small formatting helpers shared by the simulator's page renderers (no locale APIs: output must
 * not depend on the machine's ICU data). */
import type { Currency } from './catalog';

export function esc(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** 1234.5 -> "1,234.50" */
export function amount(n: number): string {
  const [whole = '0', frac = '00'] = n.toFixed(2).split('.');
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac}`;
}

/** 12345 -> "12,345" */
export function count(n: number): string {
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Search-card money on eBay.com: "$1,234.50". */
export function cardMoney(n: number): string {
  return `$${amount(n)}`;
}

/** Item-page money: "US $1,234.50", "GBP 450.00", "EUR 3,500.00". */
export function itemMoney(n: number, currency: Currency): string {
  return currency === 'USD' ? `US $${amount(n)}` : `${currency} ${amount(n)}`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function clock12(d: Date): { h: number; m: string; ampm: string } {
  const h24 = d.getUTCHours();
  return {
    h: h24 % 12 === 0 ? 12 : h24 % 12,
    m: String(d.getUTCMinutes()).padStart(2, '0'),
    ampm: h24 < 12 ? 'AM' : 'PM',
  };
}

/** "Sat, Mar 7 at 3:14 PM" (simulated times are shown in UTC). */
export function longDate(ms: number): string {
  const d = new Date(ms);
  const { h, m, ampm } = clock12(d);
  return `${DAYS[d.getUTCDay()]}, ${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} at ${h}:${m} ${ampm}`;
}

/** "(Sat, 07:45 PM)" as on auction cards. */
export function endShort(ms: number): string {
  const d = new Date(ms);
  const { h, m, ampm } = clock12(d);
  return `(${DAYS[d.getUTCDay()]}, ${String(h).padStart(2, '0')}:${m} ${ampm})`;
}

/** "Sat, Mar 14, 07:45 PM" */
export function endLong(ms: number): string {
  const d = new Date(ms);
  const { h, m, ampm } = clock12(d);
  return `${DAYS[d.getUTCDay()]}, ${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${String(h).padStart(2, '0')}:${m} ${ampm}`;
}

/** eBay's countdown: "6d 21h", "21h 14m", "14m 32s", "32s". */
export function timeLeft(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${sec}s`;
  return `${sec}s`;
}

/** camelCase key eBay puts in the specifics class: "Chipset/GPU Model" -> "chipset/GPUModel". */
export function camelKey(label: string): string {
  const words = label.split(/\s+/).filter(Boolean);
  return words
    .map((w, i) =>
      i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1),
    )
    .join('');
}

/** URL slug for Shopify handles and eBay's old title-in-URL links. */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 90);
}
