using System.Security.Cryptography;
using System.Text;
using Courier.Abstractions.Payments;
using Courier.Abstractions.Runtime;
using Courier.Grains.Payments;
using Courier.Silo.Adapters.Payments;
using Courier.Silo.Adapters.Stripe;
using Courier.Silo.Grains;
using Courier.Silo.Outbox;
using Courier.Silo.Storage;
using Microsoft.Extensions.Options;
using Npgsql;
using Stripe;

namespace Courier.Silo.Adapters.SimulatedPayments;

/// <summary>
/// The payment provider of the demo and of tests: hosted checkout at /pay/{sessionId}, test cards,
/// and Stripe-shaped webhooks signed with Stripe:WebhookSecret — so everything after the payment
/// page runs exactly as with Stripe.
/// </summary>
internal sealed class SimulatedPaymentGateway(IGrainFactory grains, NpgsqlDataSource dataSource) : IPaymentGateway
{
    public const string SessionPrefix = "cs_sim_";

    public static string SessionIdFor(string idempotencyKey) =>
        SessionPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey)))[..24];

    public async Task<PaymentSession> OpenSessionAsync(PaymentSessionRequest request, CancellationToken cancellationToken)
    {
        var sessionId = SessionIdFor(request.IdempotencyKey);
        var grain = grains.GetGrain<ISimulatedPaymentGrain>(sessionId);
        SimulatedSession session;
        using (NewGrain.Announce(grain)) // one session per idempotency key; a retry finds its row at commit
            session = await grain.OpenAsync(new SimulatedSessionDraft(
                request.OrderId,
                [.. request.Lines.Select(l => new SimulatedLine(l.Name, l.UnitAmount, l.Quantity))],
                request.Currency, request.CustomerEmail, request.SuccessUrl.OriginalString, request.CancelUrl.OriginalString,
                request.ExpiresAt)).ConfigureAwait(false);
        return new PaymentSession(session.SessionId, new Uri($"/pay/{session.SessionId}", UriKind.Relative), session.Draft.ExpiresAt);
    }

    public async Task<PaymentSessionStatus> GetSessionStatusAsync(string sessionId, CancellationToken cancellationToken)
    {
        var session = await grains.GetGrain<ISimulatedPaymentGrain>(sessionId).GetAsync().ConfigureAwait(false)
            ?? throw new PaymentProviderException($"No such checkout session: {sessionId}", isRetryable: false, errorType: "invalid_request_error", code: "resource_missing", statusCode: 404);
        return Status(session);
    }

    public async Task<PaymentSessionStatus> ExpireSessionAsync(string sessionId, CancellationToken cancellationToken) =>
        Status(await grains.GetGrain<ISimulatedPaymentGrain>(sessionId).ExpireAsync().ConfigureAwait(false));

    public async Task<PaymentRefund> RefundAsync(RefundRequest request, CancellationToken cancellationToken)
    {
        if (!request.PaymentIntentId.StartsWith("pi_sim_", StringComparison.Ordinal))
            throw new PaymentProviderException($"No such payment: {request.PaymentIntentId}", isRetryable: false, errorType: "invalid_request_error", code: "resource_missing", statusCode: 404);
        var sessionId = SessionPrefix + request.PaymentIntentId["pi_sim_".Length..];
        try
        {
            var refund = await grains.GetGrain<ISimulatedPaymentGrain>(sessionId).RefundAsync(request.Amount, request.IdempotencyKey).ConfigureAwait(false);
            return new PaymentRefund(refund.RefundId, refund.Amount, refund.Currency, RefundState.Succeeded);
        }
        catch (InvalidOperationException refused)
        {
            throw new PaymentProviderException(refused.Message, isRetryable: false, errorType: "invalid_request_error", code: "refund_refused", statusCode: 400, innerException: refused);
        }
    }

    public async Task<IReadOnlyList<PaymentEvent>> ListEventsSinceAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT event::text FROM simulated_payment_events WHERE created_at >= $1 ORDER BY created_at, event_id");
        command.Parameters.Add(new NpgsqlParameter { Value = since });
        var events = new List<PaymentEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            if (StripeEvents.ToPaymentEvent(StripeWebhookReceiver.Parse(reader.GetString(0))) is { } paymentEvent) events.Add(paymentEvent);
        return events;
    }

    private static PaymentSessionStatus Status(SimulatedSession session) => new(
        session.SessionId,
        session.Status switch
        {
            SimulatedSessionStatus.Open => PaymentSessionState.Open,
            SimulatedSessionStatus.Paid => PaymentSessionState.Paid,
            SimulatedSessionStatus.Expired => PaymentSessionState.Expired,
            _ => PaymentSessionState.Unpaid,
        },
        session.Draft.OrderId, session.PaymentIntentId, session.AmountTotal, session.Draft.Currency);
}

/// <summary>Signs a simulated event exactly as Stripe signs webhooks and hands it to the webhook ingress.</summary>
internal sealed class DeliverSimulatedWebhookHandler(PaymentWebhookIngress ingress, IOptions<StripeOptions> stripe, TimeProvider clock)
    : IOutboxHandler<DeliverSimulatedWebhook>
{
    public async Task HandleAsync(DeliverSimulatedWebhook message, OutboxDelivery delivery, CancellationToken cancellationToken)
    {
        var header = EventUtility.GenerateSignatureHeader(message.EventJson, stripe.Value.WebhookSecret!, clock.GetUtcNow().ToUnixTimeSeconds());
        await ingress.ReceiveAsync(header, message.EventJson).ConfigureAwait(false);
    }
}

internal sealed class SimulatedEventRowWriter : ReadModelWriter<SimulatedEventRow>
{
    protected override NpgsqlBatchCommand Upsert(SimulatedEventRow row) => new(
        "INSERT INTO simulated_payment_events (event_id, session_id, created_at, event) VALUES ($1, $2, $3, $4::jsonb) ON CONFLICT (event_id) DO NOTHING")
    {
        Parameters = { new() { Value = row.EventId }, new() { Value = row.SessionId }, new() { Value = row.CreatedAt }, new() { Value = row.EventJson } },
    };
}
