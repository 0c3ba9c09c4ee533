// Opens Telescreen HTML reports in headless Chromium (Debian's, through
// playwright-core: no browser download) and checks each one:
//   - it renders: the expected headings are present and visible;
//   - the console shows no errors and the page throws none (a CSP violation
//     is logged as an error too);
//   - nothing is loaded from anywhere: the only request is the file itself;
//   - no payload runs: payloads set document.title = 'PWNED' and
//     window.__pwned; the control page runs one on purpose, and the test
//     must notice it, or it proves nothing.
// Screenshots (desktop and a 390 px phone) are written to OUT_DIR.
//
// Usage: node check.mjs CHROMIUM OUT_DIR NAME=FILE:EXPECT ...
//   EXPECT is "safe" (must pass every check) or "pwned" (the payload must
//   be detected).
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [executablePath, outDir, ...cases] = process.argv.slice(2);
if (!executablePath || !outDir || cases.length === 0) {
  console.error('usage: node check.mjs CHROMIUM OUT_DIR NAME=FILE:safe|pwned ...');
  process.exit(2);
}

const HEADINGS = [
  'What to change first',
  'What a stranger can learn',
  'Whom you know, and where it shows',
  'Where you were and where you will be',
  'Every finding, with its evidence',
  'Pages scanned',
];

async function pwnedState(page) {
  return page.evaluate(() => ({ title: document.title, flag: window.__pwned === 1 }));
}

// Hovers and focuses every element so on* handlers that need an event would
// fire if any had slipped through.
async function poke(page) {
  await page.evaluate(() => {
    for (const el of document.querySelectorAll('body *')) {
      for (const type of ['mouseover', 'mouseenter', 'focus', 'animationstart']) {
        el.dispatchEvent(new Event(type));
      }
    }
  });
}

async function checkOne(context, name, file, expect) {
  const problems = [];
  const page = await context.newPage();
  const url = pathToFileURL(resolve(file)).href;
  const consoleErrors = [];
  const requests = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(`uncaught: ${e.message}`));
  page.on('request', (r) => { if (r.url() !== url) requests.push(r.url()); });

  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(url, { waitUntil: 'load' });
  await poke(page);
  await page.waitForTimeout(200);  // let any deferred payload (onerror of a broken image) run
  const state = await pwnedState(page);
  const ran = state.flag || state.title.includes('PWNED');

  if (expect === 'pwned') {
    if (!ran) problems.push('control payload did NOT run: the test cannot see payloads');
  } else {
    if (ran) problems.push(`payload ran (title=${JSON.stringify(state.title)}, __pwned=${state.flag})`);
    for (const e of consoleErrors) problems.push(`console error: ${e}`);
    for (const r of requests) problems.push(`network request: ${r}`);
    for (const h of HEADINGS) {
      const visible = await page.getByRole('heading', { name: h }).first().isVisible().catch(() => false);
      if (!visible) problems.push(`heading missing or hidden: ${h}`);
    }
    const h1 = await page.locator('h1').first().innerText().catch(() => '');
    if (!h1.startsWith('What a stranger can learn')) problems.push(`unexpected h1: ${h1}`);
    const scripts = await page.locator('script').count();
    if (scripts !== 0) problems.push(`${scripts} <script> elements in the DOM`);
    const badLinks = await page.evaluate(() =>
      [...document.querySelectorAll('a[href]')].map((a) => a.href).filter((h) => !/^https?:/i.test(h)));
    for (const l of badLinks) problems.push(`non-http link: ${l}`);
    // Phone width: nothing may force a horizontal scroll.
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (overflow > 1) problems.push(`horizontal overflow of ${overflow}px at 390px width`);
    await page.screenshot({ path: join(outDir, `${name}-phone.png`), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
  }
  await page.screenshot({ path: join(outDir, `${name}.png`), fullPage: true });
  await page.close();
  return problems;
}

const profile = mkdtempSync(join(tmpdir(), 'telescreen-chromium-'));
let passed = 0;
let failed = 0;
try {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  for (const c of cases) {
    const m = /^([\w-]+)=(.+):(safe|pwned)$/.exec(c);
    if (!m) throw new Error(`bad case ${c}`);
    const [, name, file, expect] = m;
    const problems = await checkOne(context, name, file, expect);
    if (problems.length === 0) {
      passed++;
      console.log(`ok   ${name} (${expect})`);
    } else {
      failed++;
      console.log(`FAIL ${name} (${expect})`);
      for (const p of problems) console.log(`     ${p}`);
    }
  }
  await context.close();
} finally {
  rmSync(profile, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
