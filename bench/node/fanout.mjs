// SignalR fan-out, measured with the official client: many watchers of one guest's cart, a series
// of cart changes through the API, and the time from each change's commit to its arrival at every watcher.
//   node fanout.mjs   stdin {baseUrl, productId, watchers, events, pauseMs}
// Prints one JSON line: {connected, connectSeconds, events, expected, received, p50, p90, p99, max} (milliseconds).
import * as signalR from '@microsoft/signalr';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));

// One guest: its cookies (cart, anti-forgery) are shared by every watcher, as tabs of one browser share them.
const jar = new Map();
const cookie = () => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
async function call(method, path, body) {
  const headers = { Accept: 'application/json', Cookie: cookie() };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && jar.has('XSRF-TOKEN')) headers['X-XSRF-TOKEN'] = decodeURIComponent(jar.get('XSRF-TOKEN'));
  const response = await fetch(new URL(path, input.baseUrl), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  for (const set of response.headers.getSetCookie()) {
    const pair = set.split(';')[0];
    jar.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
  }
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

// The event's `at` is the committing turn's time with 100 ns digits; Date.parse keeps only milliseconds.
function atMilliseconds(at) {
  const fraction = at.match(/\.(\d+)/)?.[1] ?? '0';
  return Date.parse(at.replace(/\.\d+/, '')) + Number(`0.${fraction}`) * 1000;
}
const now = () => performance.timeOrigin + performance.now();

await call('GET', '/api/cart');
await call('POST', '/api/cart/items', { productId: input.productId, quantity: 1 });

const latencies = [];
const arrivals = new Map(); // version -> watchers that received it
const waiting = new Map();  // version -> resolve once every watcher has it
function arrived(message) {
  latencies.push(now() - atMilliseconds(message.at));
  const count = (arrivals.get(message.version) ?? 0) + 1;
  arrivals.set(message.version, count);
  if (count === input.watchers) waiting.get(message.version)?.();
}

const hubUrl = new URL('/hubs/live', input.baseUrl).toString();
const connections = [];
const connectStarted = now();
for (let first = 0; first < input.watchers; first += 100) {
  const batch = Math.min(100, input.watchers - first);
  await Promise.all(Array.from({ length: batch }, async () => {
    const connection = new signalR.HubConnectionBuilder()
      .withUrl(hubUrl, { headers: { Cookie: cookie() } })
      .configureLogging(signalR.LogLevel.None)
      .build();
    connection.on('cartChanged', arrived);
    await connection.start();
    await connection.invoke('Watch', 'cart');
    connections.push(connection);
  }));
}
const connectSeconds = (now() - connectStarted) / 1000;

let received = 0;
for (let event = 0; event < input.events; event++) {
  const cart = await call('PUT', `/api/cart/items/${encodeURIComponent(input.productId)}`, { quantity: event % 2 === 0 ? 2 : 1 });
  if ((arrivals.get(cart.version) ?? 0) < input.watchers) {
    await Promise.race([
      new Promise((resolve) => waiting.set(cart.version, resolve)),
      new Promise((resolve) => setTimeout(resolve, 10_000)),
    ]);
  }
  received += arrivals.get(cart.version) ?? 0;
  await new Promise((resolve) => setTimeout(resolve, input.pauseMs));
}

for (let first = 0; first < connections.length; first += 200)
  await Promise.all(connections.slice(first, first + 200).map((connection) => connection.stop()));

latencies.sort((a, b) => a - b);
const percentile = (p) => latencies.length === 0 ? null : latencies[Math.min(latencies.length - 1, Math.max(0, Math.ceil(p / 100 * latencies.length) - 1))];
process.stdout.write(JSON.stringify({
  connected: connections.length, connectSeconds, events: input.events, expected: input.events * input.watchers, received,
  p50: percentile(50), p90: percentile(90), p99: percentile(99), max: latencies.at(-1) ?? null,
}) + '\n');
process.exit(0);
