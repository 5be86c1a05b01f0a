#!/usr/bin/env node
// The `sio bench --report` page as Chromium renders it (cmd/bench_report.cpp): a real short
// run against `sio serve`, then the layout checked in the browser, where clipping shows.
//
//   node tests/browser/report_test.js --sio PATH_TO_SIO [--chromium /usr/bin/chromium]
//
// Checks: every label lies inside its chart, no two axis labels overlap, the ticks read in
// increasing order, the summary table has no JSON quoting or float noise. Prints `ok NAME` /
// `FAIL NAME: reason`, then `N passed, M failed`; exits 0 iff all passed. Every wait is bounded.
'use strict';

const path = require('path');
const fs = require('fs');
const os = require('os');
const { spawn, execFileSync } = require('child_process');
const { chromium } = require(path.join(__dirname, '../interop/node_modules/playwright-core'));

const argv = process.argv.slice(2);
const flag = (name, fallback) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback);
const SIO = flag('--sio', null);
const CHROMIUM = flag('--chromium', '/usr/bin/chromium');
if (!SIO) {
  console.error('usage: node tests/browser/report_test.js --sio PATH_TO_SIO [--chromium /usr/bin/chromium]');
  process.exit(2);
}

let passed = 0;
let failed = 0;
async function check(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${String(e && e.message ? e.message : e).split('\n')[0]}`);
  }
}

// `sio serve --port 0`, resolved with its URL from the listening record (or rejected after 10 s).
function serve() {
  const proc = spawn(SIO, ['serve', '--port', '0', '--json', '-q'], { stdio: ['ignore', 'pipe', 'ignore'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('sio serve did not listen within 10 s')), 10000);
    let out = '';
    proc.stdout.on('data', (chunk) => {
      out += chunk;
      const line = out.split('\n')[0];
      if (out.includes('\n')) {
        clearTimeout(timer);
        resolve({ proc, url: JSON.parse(line).url });
      }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`sio serve exited (${code})`)); });
  });
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sio-report-'));
  const report = path.join(dir, 'report.html');
  let server = null;
  let browser = null;
  try {
    server = await serve();
    execFileSync(SIO, ['bench', server.url, '-c', '3', '-d', '2.5', '--warmup', '0.3', '-q', '--report', report],
      { timeout: 30000, stdio: ['ignore', 'ignore', 'inherit'] });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'], timeout: 20000 });
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    await page.goto(`file://${report}`, { timeout: 10000 });
    const charts = await page.$$eval('svg', (svgs) => svgs.map((svg) => {
      const box = svg.getBoundingClientRect();
      const texts = [...svg.querySelectorAll('text')].map((t) => {
        const r = t.getBoundingClientRect();
        return { text: t.textContent, cls: t.getAttribute('class') || '', left: r.left, right: r.right, top: r.top, bottom: r.bottom };
      });
      return { title: svg.querySelector('title').textContent, box: { left: box.left, right: box.right, top: box.top, bottom: box.bottom }, texts };
    }));

    await check('three charts: throughput (msg/s), latency (ms), open connections', async () => {
      const titles = charts.map((c) => c.title);
      if (JSON.stringify(titles) !== JSON.stringify(['Throughput (msg/s)', 'Latency (ms)', 'Open connections'])) {
        throw new Error(`titles ${JSON.stringify(titles)}`);
      }
    });
    await check('every label is drawn inside its chart', async () => {
      const out = [];
      for (const c of charts) {
        for (const t of c.texts) {
          if (t.left < c.box.left || t.right > c.box.right || t.top < c.box.top || t.bottom > c.box.bottom) {
            out.push(`${c.title}: ${JSON.stringify(t.text)}`);
          }
        }
      }
      if (out.length) throw new Error(`clipped: ${out.join(', ')}`);
    });
    await check('axis labels do not overlap and read in increasing order', async () => {
      for (const c of charts) {
        const ys = c.texts.filter((t) => t.cls.split(' ').includes('y')).sort((p, q) => q.top - p.top);
        const xs = c.texts.filter((t) => t.cls.split(' ').includes('x')).sort((p, q) => p.left - q.left);
        if (ys.length < 2 || xs.length < 2) throw new Error(`${c.title}: ${ys.length} y and ${xs.length} x labels`);
        for (let i = 1; i < ys.length; i++) {
          if (ys[i].bottom > ys[i - 1].top) throw new Error(`${c.title}: y labels ${ys[i - 1].text} and ${ys[i].text} overlap`);
        }
        for (let i = 1; i < xs.length; i++) {
          if (xs[i].left < xs[i - 1].right) throw new Error(`${c.title}: x labels ${xs[i - 1].text} and ${xs[i].text} overlap`);
          if (!(parseFloat(xs[i].text) > parseFloat(xs[i - 1].text))) {
            throw new Error(`${c.title}: x labels ${xs.map((t) => t.text).join(' | ')}`);
          }
        }
      }
    });
    await check('the summary table is for people: no JSON quoting, no float noise', async () => {
      const text = await page.$eval('table', (t) => t.innerText);
      if (text.includes('"')) throw new Error(`quotes in ${JSON.stringify(text)}`);
      if (/\d\.\d{4,}/.test(text)) throw new Error(`float noise in ${JSON.stringify(text)}`);
      if (!/Throughput\s+[\d,]+ msg\/s/.test(text)) throw new Error(`no throughput in msg/s: ${JSON.stringify(text)}`);
    });
  } catch (e) {
    failed++;
    console.log(`FAIL run: ${String(e && e.message ? e.message : e).split('\n')[0]}`);
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (server) server.proc.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const watchdog = setTimeout(() => { console.log('FAIL run: did not finish within 60 s'); process.exit(1); }, 60000);
main().then(() => {
  clearTimeout(watchdog);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
});
