// Lighthouse scores for pages, in Debian's Chromium (CHROME_PATH, default /usr/bin/chromium).
//   node lighthouse.mjs   stdin {pages: [{name, url}], formFactors: ["mobile", "desktop"]}
// Prints one JSON line per page and form factor:
//   {name, formFactor, scores: {performance, accessibility, best-practices}, below: [audit titles that cost points], error}
// A layout shift that costs points names the elements that moved, so it can be found.
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import * as chromeLauncher from 'chrome-launcher';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const categories = ['performance', 'accessibility', 'best-practices'];

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  chromeFlags: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
  logLevel: 'silent',
});
try {
  for (const page of input.pages) {
    for (const formFactor of input.formFactors ?? ['mobile']) {
      const config = formFactor === 'desktop' ? desktopConfig : undefined;
      const result = await lighthouse(page.url, { port: chrome.port, logLevel: 'error', output: 'json', onlyCategories: categories }, config);
      const lhr = result.lhr;
      const scores = Object.fromEntries(categories.map(id => [id, lhr.categories[id]?.score == null ? null : Math.round(lhr.categories[id].score * 100)]));
      const below = categories.flatMap(id => (lhr.categories[id]?.auditRefs ?? [])
        .filter(ref => ref.weight > 0 && lhr.audits[ref.id].score !== null && lhr.audits[ref.id].score < 0.9)
        .map(ref => `${id}: ${lhr.audits[ref.id].title}${lhr.audits[ref.id].displayValue ? ` (${lhr.audits[ref.id].displayValue})` : ''}${ref.id === 'cumulative-layout-shift' ? shifted(lhr) : ''}`));
      process.stdout.write(JSON.stringify({ name: page.name, formFactor, scores, below, error: lhr.runtimeError?.message ?? null }) + '\n');
    }
  }
} finally {
  await chrome.kill();
}

function shifted(lhr) {
  const items = lhr.audits['layout-shifts']?.details?.items ?? [];
  const moved = items.slice(0, 3).map(item => `${item.node?.selector ?? 'an element'} by ${item.score.toFixed(3)}`);
  return moved.length > 0 ? `; moved: ${moved.join(', ')}` : '';
}
