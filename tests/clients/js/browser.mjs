// Headless Chromium (the system's `chromium`, through playwright-core) opens the page at
// argv[2] and prints what the page stored in window.__cairn once it set window.__done.
// Guarded by a 90 s deadline, so a broken page or server cannot hang CI.
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';

const executablePath = process.env.CHROMIUM
  || execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'])
    .toString().trim();
const browser = await chromium.launch({
  executablePath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  const page = await browser.newPage();
  const console_ = [];
  page.on('console', (m) => console_.push(m.text()));
  await page.goto(process.argv[2]);
  await page.waitForFunction(() => window.__done === true, null, { timeout: 90000 });
  const result = await page.evaluate(() => window.__cairn);
  console.log(JSON.stringify({ result, console: console_ }));
} finally {
  await browser.close();
}
