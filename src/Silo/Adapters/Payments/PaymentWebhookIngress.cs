using System.Text.Json;
using Courier.Abstractions.Payments;
using Courier.Abstractions.Runtime;
using Courier.Grains.Payments;
using Courier.Silo.Adapters.Stripe;
using Courier.Silo.Operations;
using Courier.Silo.Grains;
using Courier.Silo.Storage;
using Npgsql;
using Stripe;

namespace Courier.Silo.Adapters.Payments;

/// <summary>
/// Where a signed payment webhook enters Courier — from Stripe through POST /webhooks/stripe, or
/// from the simulated provider, signed the same way. Verifies, stores the event once (the inbox
/// grain keyed by event id), and leaves applying it to the outbox, so the answer is fast.
/// </summary>
internal sealed class PaymentWebhookIngress(StripeWebhookReceiver receiver, IGrainFactory grains, CourierMetrics metrics)
{
    /// <exception cref="StripeWebhookRejectedException">Bad or stale signature, or not an event: answer 400, change nothing.</exception>
    public async Task<WebhookOutcome> ReceiveAsync(string? signatureHeader, string rawBody)
    {
        Event stripeEvent;
        PaymentEvent? paymentEvent;
        try
        {
            (stripeEvent, paymentEvent) = Verify(signatureHeader, rawBody);
        }
        catch (StripeWebhookRejectedException rejected)
        {
            metrics.WebhookRejected(rejected.Reason);
            throw;
        }
        if (paymentEvent is null) return WebhookOutcome.Ignored;
        var inbox = grains.GetGrain<IPaymentInboxGrain>(stripeEvent.Id);
        bool isNew;
        using (NewGrain.Announce(inbox)) // almost every event arrives once; a repeat finds its row at commit
            isNew = await inbox.ReceiveAsync(paymentEvent, rawBody).ConfigureAwait(false);
        return isNew ? WebhookOutcome.Accepted : WebhookOutcome.Duplicate;
    }

    private (Event Event, PaymentEvent? PaymentEvent) Verify(string? signatureHeader, string rawBody)
    {
        var stripeEvent = receiver.Receive(signatureHeader, rawBody);
        try
        {
            return (stripeEvent, StripeEvents.ToPaymentEvent(stripeEvent));
        }
        catch (JsonException unreadable)
        {
            // Correctly signed but not shaped like Stripe's object: a 500 would only make the sender retry it forever.
            throw new StripeWebhookRejectedException(WebhookRejectionReasons.UnreadableObject,
                $"Event {stripeEvent.Id} ({stripeEvent.Type}) is signed correctly but its object is not a readable Stripe object: {unreadable.Message}",
                unreadable);
        }
    }
}

public enum WebhookOutcome
{
    Accepted,
    Duplicate,
    Ignored,
}

internal sealed class PaymentEventRowWriter : ReadModelWriter<PaymentEventRow>
{
    protected override NpgsqlBatchCommand Upsert(PaymentEventRow row) => new(
        "INSERT INTO payment_events (event_id, kind, order_id, payload, received_at) VALUES ($1, $2, $3, $4::jsonb, $5) ON CONFLICT (event_id) DO NOTHING")
    {
        Parameters =
        {
            new() { Value = row.Event.EventId }, new() { Value = row.Event.Kind.ToString() },
            new() { Value = (object?)row.Event.OrderId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
            new() { Value = IsJson(row.PayloadJson) ? row.PayloadJson : JsonSerializer.Serialize(row.Event, GrainJson.Options) },
            new() { Value = row.ReceivedAt },
        },
    };

    private static bool IsJson(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
