// Asks the official stripe package to sign or verify a webhook, so the .NET tests can check
// Courier's webhook verification and signing (Stripe.net's EventUtility) against Stripe's own implementation.
//   node stripe-header.mjs generate   stdin {payload, secret, timestamp}          -> prints the Stripe-Signature header
//   node stripe-header.mjs verify     stdin {payload, header, secret, receivedAt?} -> prints {"valid":true,"id":…} or {"valid":false,"message":…}
import Stripe from 'stripe';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));

const stripe = new Stripe('sk_test_not_used_no_network_calls');
const mode = process.argv[2];

if (mode === 'generate') {
  process.stdout.write(stripe.webhooks.generateTestHeaderString({
    payload: input.payload,
    secret: input.secret,
    timestamp: input.timestamp,
  }));
} else if (mode === 'verify') {
  try {
    const event = stripe.webhooks.constructEvent(
      input.payload, input.header, input.secret, undefined, undefined, input.receivedAt);
    process.stdout.write(JSON.stringify({ valid: true, id: event.id }));
  } catch (error) {
    process.stdout.write(JSON.stringify({ valid: false, message: error.message }));
  }
} else {
  process.stderr.write(`unknown mode '${mode}': use 'generate' or 'verify'\n`);
  process.exit(2);
}
