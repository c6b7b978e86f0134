import { readFileSync } from 'fs';
import { join } from 'path';
import { BlockedError } from '../errors';
import { assertNotBlocked, detectBlock } from './blocked';

const pages = join(__dirname, '../../test/fixtures/pages');
const read = (file: string) => readFileSync(join(pages, file), 'utf8');

describe('detectBlock', () => {
  it('detects the saved eBay bot wall', () => {
    const body = read('ebay/challenge-2025-10-bot-wall.html');
    expect(detectBlock(body, 'https://www.ebay.com/sch/i.html?_nkw=x')).toEqual({
      reason: 'bot-wall',
      evidence: 'Pardon Our Interruption...',
    });
    expect(() => assertNotBlocked(body, 'https://www.ebay.com/sch/i.html')).toThrow(BlockedError);
  });

  it.each([
    'ebay/search-sitem-2021-03-us-auctions.html',
    'ebay/search-sitem-2025-03-us-shirts.html',
    'ebay/search-scard-2025-07-us-laptops.html',
    'ebay/search-scard-2026-04-de-lego.html',
    'ebay/item-2025-06-us-rtx5090.html',
    'retail/ldlc-gpu-search-2026-08.html',
  ])('does not flag the normal page %s', (file) => {
    expect(detectBlock(read(file), 'https://www.ebay.com/sch/i.html?_nkw=x')).toBeNull();
  });

  it.each([
    [
      '<html><head><title>Just a moment...</title></head><body><div id="challenge-stage"></div></body></html>',
      'bot-wall',
    ],
    [
      '<html><head><title>Attention Required! | Cloudflare</title></head><body></body></html>',
      'bot-wall',
    ],
    ['<html><body><form id="challenge-form" action="/cdn-cgi/x"></form></body></html>', 'bot-wall'],
    [
      '<html><head><title>Robot or human?</title></head><body><div id="px-captcha"></div></body></html>',
      'captcha',
    ],
    [
      '<html><body><h1>Checking your browser before you access eBay.</h1></body></html>',
      'bot-wall',
    ],
    [
      '<html><head><title>Security Measure</title></head><body>Please verify yourself</body></html>',
      'captcha',
    ],
    [
      '<html><body><p>Please complete the security check</p><div class="h-captcha" data-sitekey="x"></div></body></html>',
      'captcha',
    ],
    [
      '<html><body><form><div class="g-recaptcha" data-sitekey="x"></div><button>Go</button></form></body></html>',
      'captcha',
    ],
    [
      '<html><head><title>Access Denied</title></head><body>You don\'t have permission to access "http://www.x.com/" on this server.<p>Reference #18.1</p></body></html>',
      'access-denied',
    ],
    [
      '<html><head><title>Sign in or Register | eBay</title></head><body><form id="signin-form"></form></body></html>',
      'login',
    ],
    ['<html><head><title>429 Too Many Requests</title></head><body></body></html>', 'rate-limited'],
  ])('detects %s', (html, reason) => {
    expect(detectBlock(html, 'https://shop.example.com/')?.reason).toBe(reason);
  });

  it('detects a redirect to eBay sign-in by URL', () => {
    expect(detectBlock('<html></html>', 'https://signin.ebay.com/ws/eBayISAPI.dll?SignIn')).toEqual(
      expect.objectContaining({ reason: 'login' }),
    );
  });

  it('does not flag a long page that merely embeds a captcha widget', () => {
    const text = '<p>GPU for sale, lots of text.</p>'.repeat(200);
    const html = `<html><body>${text}<div class="g-recaptcha"></div></body></html>`;
    expect(detectBlock(html, 'https://shop.example.com/')).toBeNull();
  });

  it('ignores JSON bodies', () => {
    expect(detectBlock('{"products":[]}', 'https://shop.example.com/products.json')).toBeNull();
  });

  it('carries reason, URL and retryable on the error', () => {
    const url = 'https://www.ebay.com/sch/i.html';
    try {
      assertNotBlocked('<title>Pardon Our Interruption</title>', url);
      throw new Error('expected a BlockedError');
    } catch (error) {
      expect(error).toBeInstanceOf(BlockedError);
      expect(error).toMatchObject({ kind: 'blocked', reason: 'bot-wall', url, retryable: true });
    }
  });
});
