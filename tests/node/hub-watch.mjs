// Watches a topic on Courier's live hub with the official SignalR client, as a browser would.
//   node hub-watch.mjs   stdin {url, cookie, topic, eventKind?, timeoutMs?}
// Prints {"ok":false,"message":…} when the hub refuses the topic. Otherwise prints the line
// WATCHING, waits for one event of eventKind (if given) and prints {"ok":true,"event":…}.
import * as signalR from '@microsoft/signalr';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));

const connection = new signalR.HubConnectionBuilder()
  .withUrl(input.url, { headers: { Cookie: input.cookie ?? '' } })
  .configureLogging(signalR.LogLevel.None)
  .build();

const received = new Promise((resolve) => {
  if (input.eventKind) connection.on(input.eventKind, (message) => resolve(message));
});

await connection.start();
try {
  await connection.invoke('Watch', input.topic);
} catch (error) {
  process.stdout.write(JSON.stringify({ ok: false, message: error.message }) + '\n');
  await connection.stop();
  process.exit(0);
}
process.stdout.write('WATCHING\n');
if (!input.eventKind) {
  process.stdout.write(JSON.stringify({ ok: true }) + '\n');
  await connection.stop();
  process.exit(0);
}
const timeout = new Promise((resolve) => setTimeout(() => resolve(null), input.timeoutMs ?? 15000));
const event = await Promise.race([received, timeout]);
process.stdout.write(JSON.stringify({ ok: event !== null, event }) + '\n');
await connection.stop();
process.exit(0);
