// HTTP load on one URL with autocannon: a warm-up, then the measured run.
//   node load.mjs   stdin {url, connections, warmupSeconds, seconds}
// Prints one JSON line: {requestsPerSecond, p50, p90, p99, max, requests, non2xx, errors, timeouts}
// (latencies in milliseconds).
import autocannon from 'autocannon';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));

const run = (seconds) => autocannon({ url: input.url, connections: input.connections, duration: seconds, pipelining: 1 });

if (input.warmupSeconds > 0) await run(input.warmupSeconds);
const result = await run(input.seconds);
process.stdout.write(JSON.stringify({
  requestsPerSecond: result.requests.average,
  requests: result.requests.total,
  p50: result.latency.p50,
  p90: result.latency.p90,
  p99: result.latency.p99,
  max: result.latency.max,
  non2xx: result.non2xx,
  errors: result.errors,
  timeouts: result.timeouts,
}) + '\n');
