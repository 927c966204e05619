using Courier.Abstractions.Payments;
using Courier.Abstractions.Runtime;

namespace Courier.Grains.Payments;

public sealed class PaymentInboxState
{
    public PaymentEvent? Event { get; set; }
}

/// <summary>The payment_events read model: every event as received, once.</summary>
public sealed record PaymentEventRow(PaymentEvent Event, string PayloadJson, DateTimeOffset ReceivedAt) : ReadModelRow
{
    public override string RowKey => Event.EventId;
}

/// <summary>Outbox: apply a received payment event to its order.</summary>
[Orleans.Alias("Courier.Grains.Payments.ApplyPaymentEvent")]
public sealed record ApplyPaymentEvent(PaymentEvent Event) : IOutboxMessage;

[Orleans.GrainType("Courier.Grains.Payments.PaymentInboxGrain")]
internal sealed class PaymentInboxGrain([GrainContext] IGrainContext<PaymentInboxState> grain) : Grain, IPaymentInboxGrain
{
    public Task<bool> ReceiveAsync(PaymentEvent paymentEvent, string payloadJson)
    {
        if (grain.State.Event is not null) return Task.FromResult(false);
        grain.State.Event = paymentEvent;
        grain.Project(new PaymentEventRow(paymentEvent, payloadJson, grain.Now));
        grain.Send(new ApplyPaymentEvent(paymentEvent));
        return Task.FromResult(true);
    }
}
