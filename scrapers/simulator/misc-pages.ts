/** Non-listing pages: bot wall, captcha, server error, robots.txt, and the 404 page. */
import { esc } from './html';
import { hash32 } from './prng';

/** A reference id that looks like eBay's (a UUID), stable for a given request number. */
function referenceId(n: number): string {
  const hex = [hash32('ref', n, 1), hash32('ref', n, 2), hash32('ref', n, 3), hash32('ref', n, 4)]
    .map((h) => h.toString(16).padStart(8, '0'))
    .join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** eBay's "Pardon Our Interruption" challenge (see challenge-2025-10-bot-wall.html). */
export function botWallPage(base: string, requestedUrl: string, n: number): string {
  return [
    '<!DOCTYPE html><html><head><title>Pardon Our Interruption...</title>',
    '<meta http-equiv=content-type content="text/html; charset=UTF-8"><meta name=viewport content="width=device-width, initial-scale=1">',
    '<meta http-equiv=cache-control content=max-age=0><meta http-equiv=cache-control content=no-cache><meta http-equiv=pragma content=no-cache>',
    '</head><body>',
    '<div class="pgHeading"><div style="width: fit-content;margin: 80px auto 0"><div class="spinner-grow spinner-grow-sm" role="status"><span class="sr-only"></span></div></div>',
    '<h1><div style="line-height: 50px; width: fit-content; margin: 20px auto 20px;">Checking your browser before you access eBay.</div></h1>',
    '<div style="width: fit-content; margin: 0 auto; line-height: 40px; font-size: 20px; color: #5d5d5d;">Your browser will redirect to your requested content shortly. Please wait...</div>',
    `<div style="width: fit-content; margin: 20px auto 0; line-height: 40px"><b>Reference ID: </b>${referenceId(n)}</div></div>`,
    '<div style="display: none"><input type="hidden" id="_pvt">',
    `<input type="hidden" id="_iid" value="${referenceId(n)}"><input type="hidden" id="_chlghost" value="${esc(base)}"><input type="hidden" id="_appName" value="orch">`,
    `<form id="destForm" method="GET" action="${esc(requestedUrl)}"></form></div>`,
    "<script>(window.$ebay||($ebay = {})).tracking={pageId:'3864140',pageName:'ChallengeGet'};</script>",
    '</body></html>',
  ].join('\n');
}

/** The hCaptcha-backed "Security Measure" page eBay shows after a challenge fails. */
export function captchaPage(base: string, requestedUrl: string, n: number): string {
  return [
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Security Measure | eBay</title>',
    '<meta name="robots" content="noindex, nofollow"></head><body class="splashui-captcha">',
    '<div id="gh" class="gh-header"><a class="gh-logo" href="/">eBay Home</a></div>',
    '<main id="mainContent" class="page-captcha">',
    '<h1 class="page-title">Please verify yourself to continue</h1>',
    '<p class="page-subtitle">To keep eBay a safe place to buy and sell, we will occasionally ask you to verify that you\'re not a robot.</p>',
    `<form id="captcha_form" method="POST" action="${esc(base)}/splashui/captcha_submit">`,
    `<input type="hidden" name="ru" value="${esc(requestedUrl)}">`,
    `<input type="hidden" name="ref" value="${referenceId(n)}">`,
    '<div class="h-captcha" data-sitekey="195eeb9f-8f50-4a9c-abfc-a78ceaa3cdde" data-callback="onCaptchaSuccess"></div>',
    '<button type="submit" class="btn btn--primary" disabled>Continue</button>',
    '</form>',
    `<p class="captcha-reference">Reference ID: ${referenceId(n)}</p>`,
    '</main></body></html>',
  ].join('\n');
}

export function serverErrorPage(): string {
  return [
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Error | eBay</title></head><body>',
    '<div id="gh" class="gh-header"><a class="gh-logo" href="/">eBay Home</a></div>',
    '<div class="error-page"><h1 class="error-header__headline">Sorry - we\'re having a problem.</h1>',
    '<p class="error-header__subheadline">We\'re working to fix it. Please try again later.</p></div>',
    '</body></html>',
  ].join('\n');
}

export function notFoundPage(path: string): string {
  return [
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Page Not Found | eBay</title></head><body>',
    '<div class="error-page"><h1 class="error-header__headline">We looked everywhere.</h1>',
    `<p class="error-header__subheadline">Looks like this page is missing: ${esc(path)}</p></div>`,
    '</body></html>',
  ].join('\n');
}

export function forbiddenPage(): string {
  return "<!DOCTYPE html><html><head><title>Access Denied</title></head><body><h1>Access Denied</h1><p>You don't have permission to access this resource.</p></body></html>";
}

/** A realistic robots.txt: search, items and the shop are allowed; private and control paths are not. */
export function robotsTxt(base: string): string {
  return [
    '# robots.txt for the Rackhound marketplace simulator',
    'User-agent: *',
    'Disallow: /private/',
    'Disallow: /__sim/',
    'Disallow: /splashui/',
    'Disallow: /myb/',
    'Disallow: /sch/*&_trksid=',
    'Disallow: /itm/*/desc',
    'Allow: /sch/',
    'Allow: /itm/',
    'Allow: /shop/',
    'Allow: /images/',
    '',
    'User-agent: BadBot',
    'Disallow: /',
    '',
    `Sitemap: ${base}/sitemap.xml`,
    '',
  ].join('\n');
}

/** A 1x1 transparent PNG for every image URL, so a browser loads pages without the network. */
export const PIXEL_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);
