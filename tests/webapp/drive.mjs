// Drives the web app in headless Chromium (Debian chromium through playwright-core from
// webapp/node_modules). Reads a plan (JSON) from argv[2], prints one JSON line of results.
// Steps that need the Python side print {"wait": name} and read one line from stdin.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { readFileSync } from 'node:fs';

const plan = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const require = createRequire(plan.webappDir + '/package.json');
const { chromium } = require('playwright-core');
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const lines = createInterface({ input: process.stdin });
const inbox = [];
let waiter = null;
lines.on('line', (l) => (waiter ? (waiter(l), (waiter = null)) : inbox.push(l)));
const ask = (name) => {
  console.log(JSON.stringify({ wait: name }));
  return new Promise((resolve) => (inbox.length ? resolve(inbox.shift()) : (waiter = resolve)));
};
const T = 60000;

const executablePath = process.env.CHROMIUM
  || execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser']).toString().trim();
const browser = await chromium.launch({
  executablePath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
const out = { pages: {}, dialogs: [], csp: [], errors: [], pwned: false };
try {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  await context.addInitScript(() => {
    window.__pwned = false;
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const page = await context.newPage();
  page.on('dialog', async (d) => { out.dialogs.push(d.message()); await d.dismiss(); });
  page.on('pageerror', (e) => out.errors.push(String(e)));
  const collect = async () => {
    const state = await page.evaluate(() => ({ pwned: window.__pwned, csp: window.__csp }));
    out.pwned = out.pwned || state.pwned !== false;
    out.csp.push(...state.csp);
  };

  // Sign-in: a wrong token goes to the sign-in screen with a message.
  await page.goto(`${plan.base}/#token=not-a-valid-token`);
  await page.getByRole('alert').waitFor({ timeout: T });
  out.badToken = { url: page.url(), alert: await page.getByRole('alert').innerText() };
  // The fragment signs in and leaves the address bar.
  await page.goto(`${plan.base}/#token=${plan.token}`);
  await page.locator('h1', { hasText: 'Latest artifacts' }).waitFor({ timeout: T });
  out.signIn = {
    url: page.url(),
    stored: await page.evaluate(() => sessionStorage.getItem('cairn.token') !== null),
  };

  for (const item of plan.pages) {
    await page.goto(plan.base + item.path);
    await page.locator('h1', { hasText: item.heading }).waitFor({ timeout: T });
    for (const text of item.expect) {
      await page.getByText(text, { exact: false }).first().waitFor({ timeout: T });
    }
    await page.waitForTimeout(300); // let images and frames settle before axe
    await page.evaluate(axeSource);
    const axe = await page.evaluate(async () =>
      (await window.axe.run(document, { resultTypes: ['violations'] })).violations.map((v) => ({
        id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 3),
      })));
    await page.screenshot({ path: `${plan.outDir}/${item.name}.png`, fullPage: true });
    await collect();
    out.pages[item.name] = { axe, title: await page.title() };
  }

  // Keyboard: Tab to the first artifact link on the start page, Enter opens it.
  await page.goto(plan.base + '/');
  await page.locator('tbody a').first().waitFor({ timeout: T });
  const target = await page.locator('tbody a').first().getAttribute('href');
  let reached = false;
  for (let i = 0; i < 60 && !reached; i += 1) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate((href) => document.activeElement?.getAttribute('href') === href, target);
  }
  if (reached) {
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === target, { timeout: T });
  }
  out.keyboard = { reached, url: page.url(), target };

  // Download mints a fresh URL at click time: wait until a URL minted at page load expired.
  await page.goto(plan.base + plan.download.path);
  await page.getByRole('button', { name: 'Download', exact: true }).waitFor({ timeout: T });
  const old = plan.download.staleUrl;
  for (let i = 0; i < 300; i += 1) {
    const r = await fetch(old);
    if (r.status === 403) break;
    await new Promise((res) => setTimeout(res, 200));
  }
  const staleStatus = (await fetch(old)).status;
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: T }),
    page.getByRole('button', { name: 'Download', exact: true }).click(),
  ]);
  const file = await download.path();
  out.download = {
    staleStatus,
    failure: await download.failure(),
    bytes: file ? readFileSync(file).toString('utf8') : null,
    name: download.suggestedFilename(),
  };

  // Live update: the run page is open, the Python side publishes, the row appears.
  await page.goto(plan.base + plan.live.path);
  await page.locator('[data-live="live"]').waitFor({ timeout: T });
  await ask('subscribed');
  await page.getByText(plan.live.name).first().waitFor({ timeout: T });
  out.live = { seen: true };
  await page.screenshot({ path: `${plan.outDir}/run-live.png`, fullPage: true });
  await collect();
  out.pwned = out.pwned || (await page.evaluate(() => window.__pwned !== false));
} finally {
  await browser.close();
}
console.log(JSON.stringify({ result: out }));
process.exit(0);
