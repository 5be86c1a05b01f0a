#!/usr/bin/env node
// Browser test of the `sio serve` demo page (cmd/demo_page.cpp), driven through Debian's
// Chromium by playwright-core (installed by `npm ci` in tests/interop; this script installs
// nothing).
//
//   node tests/browser/demo_test.js --sio PATH_TO_SIO [--chromium /usr/bin/chromium]
//
// Starts `sio serve --port 0` itself (echo mode, then a second one in --mode broadcast), opens
// two pages on the demo and drives every control: forms, rooms (join, leave, send, close),
// disconnect/connect, the namespace field and the latency readout. Prints `ok NAME` / `FAIL NAME: reason` per check,
// `# ...` for notes, then `N passed, M failed`; exits 0 iff every check passed. Every wait is
// bounded and a watchdog ends the whole run after OVERALL_MS. A screenshot of page A is written
// to build/browser-demo.png for a human to look at; no check depends on pixels.
'use strict';

const path = require('path');
const fs = require('fs');
const os = require('os');
const http = require('http');
const { spawn } = require('child_process');
const { chromium } = require(path.join(__dirname, '../interop/node_modules/playwright-core'));

const OVERALL_MS = 90000; // hard cap for the whole run
const STEP_MS = 10000; // cap for any single wait
const REPO = path.resolve(__dirname, '../..');
const SCREENSHOT = path.join(REPO, 'build', 'browser-demo.png');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// ---- arguments ---------------------------------------------------------------------------
function parseArgs(argv) {
  const opts = { sio: null, chromium: '/usr/bin/chromium' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const take = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--sio') opts.sio = take();
    else if (a.startsWith('--sio=')) opts.sio = a.slice(6);
    else if (a === '--chromium') opts.chromium = take();
    else if (a.startsWith('--chromium=')) opts.chromium = a.slice(11);
    else if (a === '-h' || a === '--help') usage(null);
    else usage(`unknown argument ${a}`);
  }
  if (!opts.sio) usage('--sio PATH is required');
  opts.sio = path.resolve(opts.sio);
  return opts;
}

function usage(err) {
  const text = 'usage: node tests/browser/demo_test.js --sio PATH_TO_SIO [--chromium /usr/bin/chromium]';
  if (err) { console.error(`demo_test: ${err}\n${text}`); process.exit(2); }
  console.log(text);
  process.exit(0);
}

// ---- reporting ---------------------------------------------------------------------------
let passed = 0;
let failed = 0;
function ok(name) { passed++; console.log(`ok ${name}`); }
function fail(name, reason) {
  failed++;
  console.log(`FAIL ${name}: ${String(reason).replace(/\s+/g, ' ').trim()}`);
}
function note(text) { console.log(`# ${text}`); }
function summary() { console.log(`${passed} passed, ${failed} failed`); }

// Runs one named check; a thrown error becomes FAIL. Returns true iff it passed.
async function check(name, fn) {
  try {
    await fn();
    ok(name);
    return true;
  } catch (e) {
    fail(name, e && e.message ? e.message.split('\n')[0] : e);
    return false;
  }
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms ${what}`)), ms); }),
  ]).finally(() => clearTimeout(timer));
}

// Like Promise.all, but waits for every promise and reports every failure, not just the first.
async function allOf(promises) {
  const results = await Promise.allSettled(promises);
  const errs = results.filter((r) => r.status === 'rejected').map((r) => r.reason?.message ?? String(r.reason));
  if (errs.length) throw new Error(errs.join('; '));
}

// ---- sio serve ---------------------------------------------------------------------------
const servers = new Set();

// Run from a directory outside the checkout: nothing may depend on the working directory.
function startServer(sio, extraArgs = [], { env = process.env, cwd = os.tmpdir() } = {}) {
  return new Promise((resolve, reject) => {
    // --json -q: stdout carries one line, {"type":"listening","port":N,"url":...}, once it accepts connections.
    const args = ['serve', '--port', '0', '--json', '-q', ...extraArgs];
    const proc = spawn(sio, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const server = { proc, stderr: '', stdout: '', url: null, exited: false };
    servers.add(server);
    const timer = setTimeout(() => {
      stopServer(server);
      reject(new Error(`no listening record from sio serve within ${STEP_MS} ms; stderr: ${server.stderr}`));
    }, STEP_MS);
    proc.stderr.setEncoding('utf8');
    proc.stderr.on('data', (chunk) => { server.stderr = (server.stderr + chunk).slice(-8192); });
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (chunk) => {
      server.stdout += chunk;
      for (const line of server.stdout.split('\n').slice(0, -1)) {
        let rec = null;
        try { rec = JSON.parse(line); } catch (_) { continue; }
        if (rec && rec.type === 'listening' && !server.url) {
          clearTimeout(timer);
          server.port = rec.port;
          server.url = `${rec.url}/`;
          resolve(server);
        }
      }
    });
    proc.on('error', (e) => { clearTimeout(timer); servers.delete(server); reject(e); });
    proc.on('exit', (code, signal) => {
      server.exited = true;
      servers.delete(server);
      if (!server.url) {
        clearTimeout(timer);
        reject(new Error(`sio serve exited (${code ?? signal}) before listening; stderr: ${server.stderr}`));
      }
    });
  });
}

// SIGTERM, then SIGKILL if it has not gone after 3 s.
function stopServer(server) {
  if (!server || server.exited) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => { try { server.proc.kill('SIGKILL'); } catch (_) { /* gone */ } }, 3000);
    const done = setTimeout(resolve, 4000);
    server.proc.once('exit', () => { clearTimeout(kill); clearTimeout(done); resolve(); });
    try { server.proc.kill('SIGTERM'); } catch (_) { resolve(); }
  });
}

function killAllServersSync() {
  for (const s of servers) { try { s.proc.kill('SIGKILL'); } catch (_) { /* gone */ } }
}

function httpStatus(url) {
  return withTimeout(new Promise((resolve, reject) => {
    http.get(url, (res) => { res.resume(); resolve(res.statusCode); }).on('error', reject);
  }), STEP_MS, `GET ${url}`);
}

// ---- page helpers --------------------------------------------------------------------------
// The lines of #log whose text contains `needle` (log lines are "HH:MM:SS.mmm  TEXT").
async function logLines(page, needle) {
  return page.$$eval('#log > div', (divs, n) => divs.map((d) => d.textContent).filter((t) => t.includes(n)), needle);
}

async function waitForLog(page, needle, who) {
  try {
    await page.waitForFunction(
      (n) => [...document.querySelectorAll('#log > div')].some((d) => d.textContent.includes(n)),
      needle, { timeout: STEP_MS, polling: 50 });
  } catch (e) {
    const tail = await page.$$eval('#log > div', (d) => d.slice(-6).map((x) => x.textContent)).catch(() => []);
    throw new Error(`${who}'s log never showed ${JSON.stringify(needle)} within ${STEP_MS} ms; last lines: ${JSON.stringify(tail)}`);
  }
}

async function waitConnected(page, who) {
  try {
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'connected',
      null, { timeout: STEP_MS, polling: 50 });
  } catch (e) {
    const status = await page.$eval('#status', (s) => s.textContent).catch(() => '?');
    throw new Error(`${who} #status is ${JSON.stringify(status)}, not "connected", after ${STEP_MS} ms`);
  }
}

async function useForm(page, form, fields) {
  // Only the front tab gets animation frames, which Playwright's click waits on; without this a
  // click on the other page stalls for ~2 s.
  await page.bringToFront();
  for (const [sel, value] of Object.entries(fields)) await page.fill(sel, value, { timeout: STEP_MS });
  await page.click(`form#${form} button`, { timeout: STEP_MS });
}

async function clickButton(page, id) {
  await page.bringToFront();
  await page.click(`#${id}`, { timeout: STEP_MS });
}

const emit = (page, event, args) => useForm(page, 'emit', { '#emit-event': event, '#emit-args': args });
const joinRoom = (page, room) => useForm(page, 'rooms', { '#room': room });
async function leaveRoom(page, room) {
  await page.fill('#room', room, { timeout: STEP_MS });
  await clickButton(page, 'leave');
}
async function closeRoom(page, room) {
  await page.fill('#room', room, { timeout: STEP_MS });
  await clickButton(page, 'close-room');
}
async function sendToRoom(page, room, event, args) {
  await page.fill('#room', room, { timeout: STEP_MS });
  await useForm(page, 'room-send', { '#room-event': event, '#room-args': args });
}
// Connects the page to `nsp` through the namespace field and waits for "connected" there.
async function connectTo(page, nsp, who) {
  await useForm(page, 'connection', { '#nsp': nsp });
  await waitConnected(page, who);
  const sid = await page.textContent('#sid');
  if (!sid.startsWith(`(${nsp}, `)) throw new Error(`${who} #sid is ${JSON.stringify(sid)}, not on ${nsp}`);
}
// The number of lines in the page's log so far: waits after it look only at newer lines.
const logSize = (page) => page.$$eval('#log > div', (d) => d.length);
async function waitForNewLog(page, from, needle, who) {
  try {
    await page.waitForFunction(([f, n]) => [...document.querySelectorAll('#log > div')].slice(f)
      .some((d) => d.textContent.includes(n)), [from, needle], { timeout: STEP_MS, polling: 50 });
  } catch (e) {
    const tail = await page.$$eval('#log > div', (d) => d.slice(-6).map((x) => x.textContent)).catch(() => []);
    throw new Error(`${who}'s log never showed ${JSON.stringify(needle)} (after line ${from}) within ${STEP_MS} ms; `
      + `last lines: ${JSON.stringify(tail)}`);
  }
}
// A broadcast from `page` and the number of other sockets it reached, as its ack says.
async function broadcastReach(page, who, expected) {
  const from = await logSize(page);
  await broadcast(page, 'reach', '"count"');
  await waitForNewLog(page, from, `broadcast reached ${expected} other socket(s)`, who);
}
const broadcast = (page, event, args) =>
  useForm(page, 'broadcast', { '#broadcast-event': event, '#broadcast-args': args });

// Bounded round trip: `page` emits a fresh event through the form and waits for its echo
// (echo mode). Anything the server sent this socket before it handled the probe arrives first
// on the same ordered connection, so after this returns "not in the log" means "not sent".
let probeSeq = 0;
async function roundTrip(page, who) {
  const event = `probe-${++probeSeq}`;
  await emit(page, event, String(probeSeq));
  await waitForLog(page, `<- ${event} [${probeSeq}]`, who);
}

async function openDemo(context, url, who, errors) {
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_MS);
  page.on('pageerror', (e) => errors.push(`${who}: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const where = m.location()?.url || '';
    if (where.endsWith('/favicon.ico')) return; // the server has no favicon; Chromium asks anyway
    errors.push(`${who} console: ${m.text()}${where ? ` (${where})` : ''}`);
  });
  await page.goto(url, { timeout: STEP_MS, waitUntil: 'load' });
  return page;
}

// ---- the test ------------------------------------------------------------------------------
async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(opts.sio)) { fail('setup', `no sio binary at ${opts.sio}`); return; }
  if (!fs.existsSync(opts.chromium)) {
    fail('setup', `no Chromium at ${opts.chromium} (apt-get install -y chromium)`);
    return;
  }

  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sio-demo-chromium-'));
  let context = null;
  let echo = null;
  let bcast = null;
  const errors = [];
  try {
    echo = await startServer(opts.sio);
    note(`echo server at ${echo.url}`);
    // The bundle comes from the binary itself, whatever the working directory.
    const bundled = await check('the client bundle is built in: GET /socket.io/socket.io.min.js is 200', async () => {
      const status = await httpStatus(`${echo.url}socket.io/socket.io.min.js`);
      if (status !== 200) {
        throw new Error(`HTTP ${status}: this sio was built without the socket.io client bundle `
          + '(bash .ci/deps.sh demo, then rebuild)');
      }
    });
    if (!bundled) return;

    context = await withTimeout(chromium.launchPersistentContext(userDataDir, {
      executablePath: opts.chromium,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1000, height: 820 },
      timeout: 20000,
    }), 25000, 'launching Chromium');
    // A persistent context opens with one blank tab; close it so only our pages are around.
    for (const p of context.pages()) await p.close().catch(() => {});

    let a = null;
    let b = null;
    const pagesUp = await check('both pages reach status "connected"', async () => {
      a = await openDemo(context, echo.url, 'A', errors);
      b = await openDemo(context, echo.url, 'B', errors);
      await allOf([waitConnected(a, 'A'), waitConnected(b, 'B')]);
    });

    if (pagesUp) {
      await check('transport upgraded to websocket', async () => {
        for (const [page, who] of [[a, 'A'], [b, 'B']]) {
          try {
            await page.waitForFunction(() => window.sioSocket?.io?.engine?.transport?.name === 'websocket',
              null, { timeout: STEP_MS, polling: 50 });
          } catch (e) {
            const name = await page.evaluate(() => window.sioSocket?.io?.engine?.transport?.name).catch(() => '?');
            throw new Error(`${who} transport is ${JSON.stringify(name)} after ${STEP_MS} ms`);
          }
        }
      });

      await check('echo: A emits message "hello", A sees message-back ["hello"], B does not', async () => {
        await emit(a, 'message', '"hello"');
        await waitForLog(a, '<- message-back ["hello"]', 'A');
        await roundTrip(b, 'B');
        const leaked = await logLines(b, 'message-back');
        if (leaked.length) throw new Error(`B's log has ${JSON.stringify(leaked)}`);
        const leakedHello = await logLines(b, '"hello"');
        if (leakedHello.length) throw new Error(`B's log has ${JSON.stringify(leakedHello)}`);
      });

      await check('broadcast form: A broadcasts chat "hi all", B sees chat ["hi all"], A does not', async () => {
        await broadcast(a, 'chat', '"hi all"');
        await waitForLog(b, '<- chat ["hi all"]', 'B');
        // The ack (number of recipients) comes back to A; there is exactly one other socket.
        await waitForLog(a, 'broadcast reached 1 other socket(s)', 'A');
        await roundTrip(a, 'A');
        const self = await logLines(a, '<- chat');
        if (self.length) throw new Error(`the sender A got its own broadcast: ${JSON.stringify(self)}`);
      });
    }

    if (pagesUp) {
      await check('every field has a visible label', async () => {
        const unlabelled = await a.$$eval('input', (inputs) => inputs
          .filter((i) => {
            const l = i.labels && i.labels[0];
            return !(l && l.innerText.trim() && l.getBoundingClientRect().height > 0);
          })
          .map((i) => i.id));
        if (unlabelled.length) throw new Error(`inputs without a visible label: ${unlabelled.join(', ')}`);
      });

      await check('latency readout: both pages show a round trip in ms', async () => {
        for (const [page, who] of [[a, 'A'], [b, 'B']]) {
          try {
            await page.waitForFunction(() => /^\d+\.\d ms$/.test(document.getElementById('latency').textContent),
              null, { timeout: STEP_MS, polling: 50 });
          } catch (e) {
            throw new Error(`${who} #latency is ${JSON.stringify(await page.textContent('#latency'))}`);
          }
        }
      });

      await check('join + send to room: B sends to room1, A (joined) gets it, the ack says 1', async () => {
        const from = await logSize(a);
        await joinRoom(a, 'room1');
        await waitForNewLog(a, from, 'rooms: ["room1"]', 'A');
        await sendToRoom(b, 'room1', 'chat', '"in room"');
        await allOf([waitForLog(a, '<- chat ["in room"]', 'A'), waitForLog(b, 'sent to room1: reached 1 socket(s)', 'B')]);
      });

      await check('leave room: after A leaves room1, B\'s send to room1 reaches nobody', async () => {
        const from = await logSize(a);
        await leaveRoom(a, 'room1');
        await waitForNewLog(a, from, 'rooms: []', 'A');
        const fromB = await logSize(b);
        await sendToRoom(b, 'room1', 'chat', '"after leave"');
        await waitForNewLog(b, fromB, 'sent to room1: reached 0 socket(s)', 'B');
        await roundTrip(a, 'A');
        const leaked = await logLines(a, 'after leave');
        if (leaked.length) throw new Error(`A's log has ${JSON.stringify(leaked)}`);
      });

      await check('close room: A closes room1, B (a member) is told and is out of it', async () => {
        let from = await logSize(a);
        await joinRoom(a, 'room1');
        await waitForNewLog(a, from, 'rooms: ["room1"]', 'A');
        from = await logSize(b);
        await joinRoom(b, 'room1');
        await waitForNewLog(b, from, 'rooms: ["room1"]', 'B');
        await closeRoom(a, 'room1');
        await allOf([waitForLog(b, '<- room-closed ["room1"]', 'B'), waitForLog(a, 'closed room1: 2 socket(s) left it', 'A')]);
        from = await logSize(a);
        await sendToRoom(a, 'room1', 'chat', '"closed"');
        await waitForNewLog(a, from, 'sent to room1: reached 0 socket(s)', 'A');
      });

      await check('disconnect and connect: B\'s broadcast reaches 0 while A is away, 1 when it is back', async () => {
        await clickButton(a, 'disconnect');
        await a.waitForFunction(() => document.getElementById('status').textContent === 'disconnected',
          null, { timeout: STEP_MS, polling: 50 });
        await waitForLog(a, 'disconnected: io client disconnect', 'A');
        await broadcastReach(b, 'B', 0);
        await connectTo(a, '/', 'A');
        await broadcastReach(b, 'B', 1);
      });

      await check('namespace field: A on /chat is apart from B on /, together once B joins /chat', async () => {
        await connectTo(a, '/chat', 'A');
        await broadcastReach(b, 'B', 0);
        await broadcastReach(a, 'A', 0);
        await connectTo(b, '/chat', 'B');
        const from = await logSize(a);
        await broadcast(b, 'chat', '"in chat"');
        await waitForNewLog(a, from, '<- chat ["in chat"]', 'A');
        await waitForLog(b, 'broadcast reached 1 other socket(s)', 'B');
        await allOf([connectTo(a, '/', 'A'), connectTo(b, '/', 'B')]);
      });
    }

    await check(`screenshot of page A saved to ${path.relative(REPO, SCREENSHOT)}`, async () => {
      if (!a) throw new Error('page A was not opened');
      fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
      await a.screenshot({ path: SCREENSHOT, fullPage: true, timeout: STEP_MS });
    });

    // The page's fallback when the client bundle does not load: blocked here in the browser,
    // since the binary has it built in (a build without it: tests/unit/demo_page_test.cpp).
    await check('page fallback: bundle not loaded -> #missing says so, status "no client bundle"', async () => {
      const c = await context.newPage();
      try {
        c.setDefaultTimeout(STEP_MS);
        await c.route('**/socket.io.min.js', (route) => route.fulfill({ status: 404, body: 'not found' }));
        await c.goto(echo.url, { timeout: STEP_MS, waitUntil: 'load' });
        await c.waitForFunction(() => document.getElementById('status')?.textContent === 'no client bundle',
          null, { timeout: STEP_MS, polling: 50 });
        if (!(await c.isVisible('#missing'))) throw new Error('#missing is not visible');
        const text = await c.textContent('#missing');
        if (!text.includes('did not load')) throw new Error(`#missing says ${JSON.stringify(text)}`);
        if (await c.evaluate(() => 'sioSocket' in window)) throw new Error('window.sioSocket exists');
      } finally {
        await c.close().catch(() => {});
      }
    });

    if (pagesUp) {
      await check('broadcast mode: an emit from A reaches A and B', async () => {
        bcast = await startServer(opts.sio, ['--mode', 'broadcast']);
        note(`broadcast server at ${bcast.url}`);
        await Promise.all([a.goto(bcast.url, { timeout: STEP_MS }), b.goto(bcast.url, { timeout: STEP_MS })]);
        await allOf([waitConnected(a, 'A'), waitConnected(b, 'B')]);
        await emit(a, 'shout', '"to all"');
        await allOf([waitForLog(a, '<- shout ["to all"]', 'A'), waitForLog(b, '<- shout ["to all"]', 'B')]);
      });
    }

    await check('no JavaScript errors on the pages', async () => {
      if (errors.length) throw new Error(errors.join(' | '));
    });
  } catch (e) {
    fail('run', e && e.message ? e.message.split('\n')[0] : e);
  } finally {
    if (context) await withTimeout(context.close(), 10000, 'closing Chromium').catch((e) => note(e.message));
    await Promise.all([stopServer(echo), stopServer(bcast)]);
    fs.rmSync(userDataDir, { recursive: true, force: true, maxRetries: 3 });
  }
}

process.on('exit', killAllServersSync);
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => { fail('run', `interrupted by ${sig}`); summary(); process.exit(1); });
}
const watchdog = setTimeout(() => {
  fail('run', `did not finish within ${OVERALL_MS} ms`);
  summary();
  process.exit(1);
}, OVERALL_MS);

main().then(
  () => {
    clearTimeout(watchdog);
    if (passed + failed === 0) fail('run', 'no checks ran');
    summary();
    process.exit(failed === 0 ? 0 : 1);
  },
  (e) => {
    clearTimeout(watchdog);
    fail('run', e && e.stack ? e.stack : e);
    summary();
    process.exit(1);
  });
