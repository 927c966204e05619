using Courier.Abstractions.Runtime;

namespace Courier.Abstractions.Payments;

/// <summary>
/// One received payment event, keyed by the provider's event id: stores it once and hands it to
/// its order through the outbox. A duplicate delivery finds the event already received.
/// </summary>
public interface IPaymentInboxGrain : IGrainWithStringKey
{
    /// <summary>True the first time; false for a duplicate.</summary>
    Task<bool> ReceiveAsync(PaymentEvent paymentEvent, string payloadJson);
}
