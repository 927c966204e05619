using Courier.Abstractions.Carts;
using Courier.Abstractions.Orders;
using Courier.Abstractions.Payments;
using Courier.Abstractions.Runtime;
using Courier.Grains.Orders;
using Courier.Grains.Payments;
using Courier.Silo.Outbox;
using Npgsql;

namespace Courier.Silo.Adapters.Payments;

/// <summary>Hands a received payment event to its order, finding the order by payment intent when the event does not name it.</summary>
internal sealed class ApplyPaymentEventHandler(IGrainFactory grains, NpgsqlDataSource dataSource) : IOutboxHandler<ApplyPaymentEvent>
{
    public async Task HandleAsync(ApplyPaymentEvent message, OutboxDelivery delivery, CancellationToken cancellationToken)
    {
        var paymentEvent = message.Event;
        var orderId = paymentEvent.OrderId ?? await FindOrderAsync(paymentEvent, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException(
                $"Payment event {paymentEvent.EventId} ({paymentEvent.Kind}) names no order and matches none by payment {paymentEvent.PaymentIntentId ?? "?"} or session {paymentEvent.SessionId ?? "?"}; it is retried in case the order is still being recorded.");
        await grains.GetGrain<IOrderGrain>(orderId).ApplyPaymentEventAsync(paymentEvent).ConfigureAwait(false);
    }

    private async Task<string?> FindOrderAsync(PaymentEvent paymentEvent, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id FROM orders WHERE ($1::text IS NOT NULL AND payment_intent_id = $1) OR ($2::text IS NOT NULL AND session_id = $2) LIMIT 1");
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)paymentEvent.PaymentIntentId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)paymentEvent.SessionId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }
}

/// <summary>
/// Asks the provider where an order's payment stands once its session should have ended, so a
/// lost webhook never leaves a paying customer without an order. An open session is expired first,
/// so the answer is final.
/// </summary>
internal sealed class ReconcilePaymentHandler(IGrainFactory grains, Courier.Grains.Payments.IPaymentGateway gateway, TimeProvider clock)
    : IOutboxHandler<ReconcilePayment>
{
    public async Task HandleAsync(ReconcilePayment message, OutboxDelivery delivery, CancellationToken cancellationToken)
    {
        var status = await gateway.GetSessionStatusAsync(message.SessionId, cancellationToken).ConfigureAwait(false);
        if (status.State == Courier.Grains.Payments.PaymentSessionState.Open)
            status = await gateway.ExpireSessionAsync(message.SessionId, cancellationToken).ConfigureAwait(false);
        var kind = status.State switch
        {
            Courier.Grains.Payments.PaymentSessionState.Paid => PaymentEventKind.Paid,
            Courier.Grains.Payments.PaymentSessionState.Expired => PaymentEventKind.SessionExpired,
            _ => (PaymentEventKind?)null,
        };
        if (kind is null) return; // completed but still processing: the next reconciliation looks again
        await grains.GetGrain<IOrderGrain>(message.OrderId).ApplyPaymentEventAsync(new PaymentEvent(
            $"reconcile:{message.SessionId}:{kind}", kind.Value, clock.GetUtcNow(), message.OrderId, message.SessionId,
            status.PaymentIntentId, status.AmountTotal, status.Currency, "found by reconciliation")).ConfigureAwait(false);
    }
}

internal sealed class EmptyCheckedOutCartHandler(IGrainFactory grains) : IOutboxHandler<EmptyCheckedOutCart>
{
    public Task HandleAsync(EmptyCheckedOutCart message, OutboxDelivery delivery, CancellationToken cancellationToken) =>
        grains.GetGrain<ICartGrain>(message.CartId).CheckedOutAsync(message.OrderId);
}
