using Courier.Grains;
using Orleans.Concurrency;
using System.Text.Json;
using System.Text.Json.Nodes;
using Courier.Abstractions.Runtime;

namespace Courier.Silo.Adapters.SimulatedPayments;

/// <summary>
/// One checkout session of the built-in simulated payment provider (keyed by session id). It
/// behaves like a Stripe Checkout Session — open, paid, processing, expired, refunded — and reports
/// every change as a Stripe-shaped event, signed and delivered through the real webhook path.
/// </summary>
public interface ISimulatedPaymentGrain : IGrainWithStringKey
{
    Task<SimulatedSession> OpenAsync(SimulatedSessionDraft draft);
    [ReadOnly] Task<SimulatedSession?> GetAsync();
    Task<SimulatedPaymentOutcome> PayAsync(string cardNumber);
    Task<SimulatedSession> ExpireAsync();
    Task<SimulatedRefund> RefundAsync(long? amount, string idempotencyKey);
}

public sealed record SimulatedLine(string Name, long UnitAmount, int Quantity);

public sealed record SimulatedSessionDraft(
    string OrderId, IReadOnlyList<SimulatedLine> Lines, string Currency, string? CustomerEmail,
    string SuccessUrl, string CancelUrl, DateTimeOffset ExpiresAt);

public enum SimulatedSessionStatus
{
    Open,
    Processing,
    Paid,
    Failed,
    Expired,
}

public sealed record SimulatedSession(
    string SessionId, SimulatedSessionDraft Draft, long AmountTotal, SimulatedSessionStatus Status,
    string PaymentIntentId, long AmountRefunded, string? LastDecline);

public sealed record SimulatedPaymentOutcome(SimulatedSessionStatus Status, string? DeclineMessage, string? RedirectTo);

public sealed record SimulatedRefund(string RefundId, long Amount, string Currency);

/// <summary>The test cards the hosted page accepts, like Stripe's test mode.</summary>
public static class SimulatedCards
{
    public const string Success = "4242424242424242";
    public const string Declined = "4000000000000002";
    public const string SlowSuccess = "4000000000000077";
    public const string SlowFailure = "4000000000009995";
    public static readonly TimeSpan SettleAfter = TimeSpan.FromSeconds(4);
}

/// <summary>Outbox: sign this event as Stripe would and deliver it to the webhook ingress.</summary>
[Orleans.Alias("Courier.Silo.Adapters.SimulatedPayments.DeliverSimulatedWebhook")]
public sealed record DeliverSimulatedWebhook(string EventId, string EventJson) : IOutboxMessage;

public sealed class SimulatedPaymentState
{
    public SimulatedSession? Session { get; set; }
    public string? PendingSettlement { get; set; }
    public Dictionary<string, SimulatedRefund> Refunds { get; set; } = [];
    public int EventCount { get; set; }
}

public sealed record SimulatedEventRow(string EventId, string SessionId, DateTimeOffset CreatedAt, string EventJson) : ReadModelRow
{
    public override string RowKey => EventId;
}

[Orleans.GrainType("Courier.Silo.Adapters.SimulatedPayments.SimulatedPaymentGrain")]
internal sealed class SimulatedPaymentGrain([GrainContext] IGrainContext<SimulatedPaymentState> grain) : Grain, ISimulatedPaymentGrain, IRemindable
{
    private SimulatedPaymentState State => grain.State;

    public Task<SimulatedSession> OpenAsync(SimulatedSessionDraft draft)
    {
        if (State.Session is { } existing) return Task.FromResult(existing);
        var suffix = grain.Key["cs_sim_".Length..];
        State.Session = new SimulatedSession(grain.Key, draft, draft.Lines.Sum(l => l.UnitAmount * l.Quantity),
            SimulatedSessionStatus.Open, $"pi_sim_{suffix}", 0, null);
        grain.Remind("expire", draft.ExpiresAt);
        return Task.FromResult(State.Session);
    }

    public Task<SimulatedSession?> GetAsync() => Task.FromResult(State.Session);

    public Task<SimulatedPaymentOutcome> PayAsync(string cardNumber)
    {
        var session = State.Session ?? throw new InvalidOperationException($"No simulated session {grain.Key}.");
        if (session.Status != SimulatedSessionStatus.Open)
            return Task.FromResult(new SimulatedPaymentOutcome(session.Status, StatusMessage(session.Status), SuccessUrl(session)));
        var card = new string(cardNumber.Where(char.IsDigit).ToArray());
        switch (card)
        {
            case SimulatedCards.Success:
                SetStatus(SimulatedSessionStatus.Paid);
                Emit("checkout.session.completed", SessionObject("paid", "complete"));
                return Task.FromResult(new SimulatedPaymentOutcome(SimulatedSessionStatus.Paid, null, SuccessUrl(State.Session!)));
            case SimulatedCards.SlowSuccess or SimulatedCards.SlowFailure:
                SetStatus(SimulatedSessionStatus.Processing);
                State.PendingSettlement = card == SimulatedCards.SlowSuccess ? "succeed" : "fail";
                grain.Remind("settle", grain.Now + SimulatedCards.SettleAfter);
                Emit("checkout.session.completed", SessionObject("unpaid", "complete"));
                return Task.FromResult(new SimulatedPaymentOutcome(SimulatedSessionStatus.Processing, null, SuccessUrl(State.Session!)));
            default:
                const string decline = "Your card was declined.";
                State.Session = session with { LastDecline = decline };
                Emit("payment_intent.payment_failed", PaymentIntentObject(decline));
                return Task.FromResult(new SimulatedPaymentOutcome(SimulatedSessionStatus.Open, decline, null));
        }
    }

    public Task<SimulatedSession> ExpireAsync()
    {
        var session = State.Session ?? throw new InvalidOperationException($"No simulated session {grain.Key}.");
        if (session.Status == SimulatedSessionStatus.Open)
        {
            SetStatus(SimulatedSessionStatus.Expired);
            grain.CancelReminder("expire");
            Emit("checkout.session.expired", SessionObject("unpaid", "expired"));
        }
        return Task.FromResult(State.Session!);
    }

    public Task<SimulatedRefund> RefundAsync(long? amount, string idempotencyKey)
    {
        if (State.Refunds.TryGetValue(idempotencyKey, out var earlier)) return Task.FromResult(earlier);
        var session = State.Session ?? throw new InvalidOperationException($"No simulated session {grain.Key}.");
        if (session.Status != SimulatedSessionStatus.Paid)
            throw new InvalidOperationException($"Session {grain.Key} is {session.Status}; only a paid session can be refunded.");
        var remaining = session.AmountTotal - session.AmountRefunded;
        var refund = amount ?? remaining;
        if (refund <= 0 || refund > remaining)
            throw new InvalidOperationException($"A refund of {refund} exceeds the {remaining} left to refund.");
        State.Session = session with { AmountRefunded = session.AmountRefunded + refund };
        var result = new SimulatedRefund($"re_sim_{State.Refunds.Count + 1}_{grain.Key[7..]}", refund, session.Draft.Currency);
        State.Refunds[idempotencyKey] = result;
        Emit("charge.refunded", ChargeObject());
        return Task.FromResult(result);
    }

    public Task ReceiveReminder(string name, TickStatus status)
    {
        var session = State.Session;
        if (session is null) return Task.CompletedTask;
        if (name == "expire") return ExpireAsync();
        if (name == "settle" && session.Status == SimulatedSessionStatus.Processing)
        {
            var succeed = State.PendingSettlement == "succeed";
            SetStatus(succeed ? SimulatedSessionStatus.Paid : SimulatedSessionStatus.Failed);
            grain.CancelReminder("expire");
            Emit(succeed ? "checkout.session.async_payment_succeeded" : "checkout.session.async_payment_failed",
                SessionObject(succeed ? "paid" : "unpaid", "complete"));
        }
        return Task.CompletedTask;
    }

    private void SetStatus(SimulatedSessionStatus status) => State.Session = State.Session! with { Status = status };

    private static string? SuccessUrl(SimulatedSession session) =>
        session.Status is SimulatedSessionStatus.Paid or SimulatedSessionStatus.Processing
            ? session.Draft.SuccessUrl.Replace("{CHECKOUT_SESSION_ID}", session.SessionId, StringComparison.Ordinal)
            : null;

    private static string? StatusMessage(SimulatedSessionStatus status) => status switch
    {
        SimulatedSessionStatus.Expired => "This payment page has expired.",
        SimulatedSessionStatus.Failed => "This payment failed.",
        _ => null,
    };

    private void Emit(string type, JsonObject dataObject)
    {
        State.EventCount++;
        var eventId = $"evt_sim_{grain.Key[7..]}_{State.EventCount}";
        var created = grain.Now.ToUnixTimeSeconds();
        var json = new JsonObject
        {
            ["id"] = eventId,
            ["object"] = "event",
            ["api_version"] = "2026-10-28.endive",
            ["created"] = created,
            ["livemode"] = false,
            ["type"] = type,
            ["data"] = new JsonObject { ["object"] = dataObject },
        }.ToJsonString();
        grain.Project(new SimulatedEventRow(eventId, grain.Key, grain.Now, json));
        grain.Send(new DeliverSimulatedWebhook(eventId, json));
    }

    private JsonObject SessionObject(string paymentStatus, string status)
    {
        var s = State.Session!;
        return new JsonObject
        {
            ["id"] = s.SessionId,
            ["object"] = "checkout.session",
            ["url"] = status == "open" ? $"/pay/{s.SessionId}" : null,
            ["created"] = grain.Now.ToUnixTimeSeconds(),
            ["livemode"] = false,
            ["client_reference_id"] = s.Draft.OrderId,
            ["metadata"] = new JsonObject { ["order_id"] = s.Draft.OrderId },
            ["payment_status"] = paymentStatus,
            ["status"] = status,
            ["mode"] = "payment",
            ["payment_intent"] = s.PaymentIntentId,
            ["amount_total"] = s.AmountTotal,
            ["currency"] = s.Draft.Currency,
            ["customer_email"] = s.Draft.CustomerEmail,
            ["expires_at"] = s.Draft.ExpiresAt.ToUnixTimeSeconds(),
        };
    }

    private JsonObject PaymentIntentObject(string declineMessage)
    {
        var s = State.Session!;
        return new JsonObject
        {
            ["id"] = s.PaymentIntentId,
            ["object"] = "payment_intent",
            ["amount"] = s.AmountTotal,
            ["currency"] = s.Draft.Currency,
            ["status"] = "requires_payment_method",
            ["created"] = grain.Now.ToUnixTimeSeconds(),
            ["metadata"] = new JsonObject { ["order_id"] = s.Draft.OrderId },
            ["last_payment_error"] = new JsonObject { ["code"] = "card_declined", ["decline_code"] = "generic_decline", ["message"] = declineMessage, ["type"] = "card_error" },
        };
    }

    private JsonObject ChargeObject()
    {
        var s = State.Session!;
        return new JsonObject
        {
            ["id"] = $"ch_sim_{grain.Key[7..]}",
            ["object"] = "charge",
            ["amount"] = s.AmountTotal,
            ["amount_refunded"] = s.AmountRefunded,
            ["currency"] = s.Draft.Currency,
            ["payment_intent"] = s.PaymentIntentId,
            ["refunded"] = s.AmountRefunded >= s.AmountTotal,
            ["status"] = "succeeded",
            ["created"] = grain.Now.ToUnixTimeSeconds(),
            ["metadata"] = new JsonObject { ["order_id"] = s.Draft.OrderId },
        };
    }
}
