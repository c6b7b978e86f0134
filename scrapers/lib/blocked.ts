import { BlockedError, type BlockReason } from '../errors';
import { cleanText, textSkipping, withDocument, type AnyNode, type CheerioAPI } from './html';
import { queryAll, queryFirst } from './select';

export interface BlockSignal {
  reason: BlockReason;
  evidence: string;
}

/**
 * Title or headline texts that only interstitials use. Matched against the page title, h1/h2 and,
 * on short pages, the visible text (never scripts, so a results page that loads a captcha library
 * for its login form is not flagged).
 */
const TEXT_MARKERS: Array<[RegExp, BlockReason]> = [
  [/pardon our interruption/i, 'bot-wall'],
  [/checking (?:if the site connection is secure|your browser)/i, 'bot-wall'],
  [/just a moment\.\.\./i, 'bot-wall'],
  [/attention required!? \| cloudflare/i, 'bot-wall'],
  [/please enable (?:js|javascript) and disable any ad blocker/i, 'bot-wall'],
  [/verify(?:ing)? (?:that )?you are (?:a )?human/i, 'captcha'],
  [/robot or human\??/i, 'captcha'],
  [/are you a (?:human|robot)\??/i, 'captcha'],
  [/press (?:&|and) hold/i, 'captcha'],
  [/security measure/i, 'captcha'],
  [/please (?:complete|solve) the (?:security check|captcha)/i, 'captcha'],
  [/(?:bist du|sind sie) ein mensch/i, 'captcha'],
  [/êtes-vous un (?:humain|robot)/i, 'captcha'],
  [/unusual traffic from your (?:computer|network)/i, 'captcha'],
  [/^access denied$|you don'?t have permission to access/i, 'access-denied'],
  [/^403 forbidden$|^error 1020|access to this page has been denied/i, 'access-denied'],
  [/^429 too many requests$|^too many requests$|rate limit(?:ed)? exceeded/i, 'rate-limited'],
  [
    /^sign in or register \| ebay$|^(?:bei ebay )?einloggen|^s'identifier|^sign in to (?:continue|your account)/i,
    'login',
  ],
];

/** Elements that only challenge pages carry. */
const DOM_MARKERS: Array<[string, BlockReason]> = [
  [
    '#challenge-form, #cf-challenge-running, #challenge-stage, .cf-browser-verification',
    'bot-wall',
  ],
  [
    '#px-captcha, #captcha-container, iframe[src*="captcha-delivery.com"], iframe[src*="geo.captcha"]',
    'captcha',
  ],
  ['form#signin-form, form[name="SignInForm"], #signin-continue-btn', 'login'],
];

/** Captcha widgets: a block only when the page has little else (a real captcha page). */
const CAPTCHA_WIDGETS =
  '.g-recaptcha, .h-captcha, iframe[src*="recaptcha"], iframe[src*="hcaptcha.com"], .cf-turnstile';

const LOGIN_URL_RE =
  /^https?:\/\/signin\.ebay\.|\/signin\/|\/ws\/eBayISAPI\.dll\?SignIn|\/login(?:[/?#]|$)/i;

/** Detects a bot wall, captcha, login wall or access-denied page. Null for normal pages. */
export function detectBlock(body: string, url?: string | null): BlockSignal | null {
  if (url && LOGIN_URL_RE.test(url)) {
    return { reason: 'login', evidence: `redirected to sign-in: ${url}` };
  }
  const head = body.trimStart().slice(0, 1);
  if (head === '{' || head === '[') return null; // JSON APIs carry no interstitials
  return withDocument(body, detectBlockInDom);
}

export function detectBlockInDom($: CheerioAPI): BlockSignal | null {
  const title = cleanText(queryFirst($, 'title').text());
  const headings = queryAll($, 'h1, h2')
    .slice(0, 6)
    .map((_i, el) => cleanText($(el).text()))
    .get()
    .filter((t) => t.length > 0 && t.length < 200);
  for (const text of [title, ...headings]) {
    for (const [re, reason] of TEXT_MARKERS) {
      if (re.test(text)) return { reason, evidence: text };
    }
  }
  for (const [selector, reason] of DOM_MARKERS) {
    const hit = queryFirst($, selector);
    if (hit.length > 0) return { reason, evidence: `element ${describe(hit.get(0))}` };
  }
  const canonical = queryFirst($, 'link[rel="canonical"]').attr('href') ?? '';
  if (LOGIN_URL_RE.test(canonical)) return { reason: 'login', evidence: `canonical ${canonical}` };

  // Read in place: cloning the whole body cost more than the rest of the check.
  const visible = cleanText(
    textSkipping($, queryAll($, 'body'), 'script, style, noscript, template, svg'),
  );
  if (visible.length < 3000) {
    for (const [re, reason] of TEXT_MARKERS) {
      const m = re.exec(visible);
      if (m) return { reason, evidence: m[0] };
    }
    const widget = queryFirst($, CAPTCHA_WIDGETS);
    if (widget.length > 0)
      return { reason: 'captcha', evidence: `element ${describe(widget.get(0))}` };
  }
  return null;
}

function describe(node: AnyNode | undefined): string {
  if (!node || !('attribs' in node)) return '?';
  const el = node;
  const id = el.attribs?.id ? `#${el.attribs.id}` : '';
  const cls = el.attribs?.class ? `.${el.attribs.class.trim().split(/\s+/).join('.')}` : '';
  return `${el.tagName ?? '?'}${id}${cls}`;
}

/** Throws BlockedError when the page is an interstitial; parsers call this first. */
export function assertNotBlocked(body: string, url: string): void {
  const signal = detectBlock(body, url);
  if (signal) throw new BlockedError(signal.reason, url, signal.evidence);
}

/** Same as assertNotBlocked on an already loaded document (saves a second parse). */
export function assertDomNotBlocked($: CheerioAPI, url: string): void {
  if (LOGIN_URL_RE.test(url)) throw new BlockedError('login', url, `redirected to sign-in: ${url}`);
  const signal = detectBlockInDom($);
  if (signal) throw new BlockedError(signal.reason, url, signal.evidence);
}
