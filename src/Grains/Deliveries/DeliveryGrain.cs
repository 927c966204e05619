using System.Globalization;
using Courier.Abstractions.Catalog;
using Courier.Abstractions.Deliveries;
using Courier.Abstractions.Runtime;

namespace Courier.Grains.Deliveries;

public sealed class DeliveryState
{
    public DeliveryStatus Status { get; set; }
    public DeliveryRequest? Request { get; set; }
    public int Attempt { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? NextRetryAt { get; set; }
    public DateTimeOffset? ReadyAt { get; set; }
    public string? LicenseKey { get; set; }
    public bool SlaBreached { get; set; }
    public DateTimeOffset? TechnicianAssignedAt { get; set; }
    public string? RevokedReason { get; set; }
    public DownloadState Downloads { get; set; } = new();
    public NudgeState Nudges { get; set; } = new();
    public SelfServiceAllowance SelfService { get; set; } = new();
}

[Orleans.GrainType("Courier.Grains.Deliveries.DeliveryGrain")]
internal sealed partial class DeliveryGrain([GrainContext] IGrainContext<DeliveryState> grain) : Grain, IDeliveryGrain, IRemindable
{
    public static readonly TimeSpan TechnicianAfter = TimeSpan.FromHours(2);
    private const double JitterShare = 0.2;
    private const string Retry = "retry";
    private const string Sla = "sla";
    private const string Technician = "technician";

    private DeliveryState State => grain.State;
    private DeliveryRequest Request => State.Request!;
    private RetrySchedule Schedule => Request.Retries ?? RetrySchedule.Default;

    public Task StartAsync(DeliveryRequest request)
    {
        if (State.Status != DeliveryStatus.None || State.RevokedReason is not null) return Task.CompletedTask;
        State.Request = request;
        MoveTo(DeliveryStatus.Pending, "the order was paid");
        grain.Remind(Sla, request.PaidAt + request.Sla);
        grain.Remind(Technician, request.PaidAt + TechnicianAfter);
        StartAttempt(1);
        return Task.CompletedTask;
    }

    public Task<DeliveryView?> GetAsync() => Task.FromResult(State.Status == DeliveryStatus.None ? null : View());

    public Task ProvisioningSucceededAsync(int attempt, DeliveryResult result)
    {
        if (!IsCurrent(attempt)) return Task.CompletedTask;
        State.LicenseKey = result.LicenseKey;
        State.ReadyAt = grain.Now;
        CancelPendingReminders();
        MoveTo(DeliveryStatus.Ready, attempt == 1 ? "delivered on the first attempt" : $"delivered on attempt {attempt}");
        return Task.CompletedTask;
    }

    public Task ProvisioningFailedAsync(int attempt, string error)
    {
        if (!IsCurrent(attempt)) return Task.CompletedTask;
        State.LastError = error;
        if (attempt < Schedule.MaxAttempts)
        {
            RetryProvisioningLater(attempt, error);
            return Task.CompletedTask;
        }
        State.NextRetryAt = null;
        MoveTo(DeliveryStatus.Failed, $"attempt {attempt} of {Schedule.MaxAttempts} failed: {error}; no attempts left");
        MoveTo(DeliveryStatus.Escalated, "handed to a technician with the last error");
        grain.Publish(new DeliveryEscalated(grain.Key, Request.OrderId, Request.ProductId, attempt, error));
        return Task.CompletedTask;
    }

    public Task RevokeAsync(string reason)
    {
        if (State.Status == DeliveryStatus.Revoked) return Task.CompletedTask;
        State.RevokedReason = reason;
        if (State.Status == DeliveryStatus.None) return Task.CompletedTask; // revoked before it started: a late Start does nothing
        CancelPendingReminders();
        MoveTo(DeliveryStatus.Revoked, reason);
        // Sent even when no key was handed out yet: the pool then refuses one to a late attempt.
        if (Request.Kind == DeliveryKind.LicenseKey) grain.Send(new DisableLicenseKey(Request.ProductId, grain.Key));
        if (Request.Kind == DeliveryKind.SiteAccess) grain.Send(new Courier.Grains.SiteAccess.RevokeSiteAccess(grain.Key, reason));
        return Task.CompletedTask;
    }

    public async Task EraseCustomerAsync(string reason)
    {
        await RevokeAsync(reason);
        if (State.Request is { } request)
            State.Request = request with { Email = Courier.Abstractions.Accounts.AccountEmail.Erased, AccountId = null };
    }

    /// <summary>
    /// Cancels the reminders still registered: a retry only while one is scheduled, the SLA and
    /// technician checks only until they fired (a one-shot reminder is gone once it ran).
    /// </summary>
    private void CancelPendingReminders()
    {
        if (State.NextRetryAt is not null) grain.CancelReminder(Retry);
        if (!State.SlaBreached) grain.CancelReminder(Sla);
        if (State.TechnicianAssignedAt is null) grain.CancelReminder(Technician);
        State.NextRetryAt = null;
    }

    public Task ReceiveReminder(string name, TickStatus status)
    {
        if (State.Request is null) return Task.CompletedTask;
        switch (name)
        {
            case Retry when State.Status == DeliveryStatus.Retrying:
                StartAttempt(State.Attempt + 1);
                break;
            case Sla when IsUnfinished() && !State.SlaBreached:
                State.SlaBreached = true;
                grain.Journal(new DeliveryDelayed($"not ready within {Describe(Request.Sla)} of payment", grain.Now));
                grain.Publish(new DeliverySlaBreached(grain.Key, Request.OrderId, Request.ProductId, Request.Sla, State.LastError));
                Changed();
                break;
            case Technician when IsUnfinished() && State.TechnicianAssignedAt is null:
                var reason = $"not ready {Describe(TechnicianAfter)} after payment" + (State.LastError is { } error ? $"; last error: {error}" : "");
                State.TechnicianAssignedAt = grain.Now;
                grain.Project(new TechnicianAssignment(grain.Key, Request.OrderId, reason, grain.Now));
                grain.Journal(new DeliveryAssignedToTechnician(reason, grain.Now));
                Changed();
                break;
            default:
                ReceiveNudgeReminder(name);
                break;
        }
        return Task.CompletedTask;
    }

    private bool IsCurrent(int attempt) => State.Status == DeliveryStatus.Processing && attempt == State.Attempt;

    private bool IsUnfinished() => State.Status is DeliveryStatus.Pending or DeliveryStatus.Processing or DeliveryStatus.Retrying
        or DeliveryStatus.Failed or DeliveryStatus.Escalated;

    private void StartAttempt(int attempt)
    {
        State.Attempt = attempt;
        State.NextRetryAt = null;
        grain.Send(new ProvisionDelivery(grain.Key, attempt, Request.Kind, Request.ProductId, Request.OrderId));
        MoveTo(DeliveryStatus.Processing, $"provisioning attempt {attempt} of {Schedule.MaxAttempts} started");
    }

    private void RetryProvisioningLater(int attempt, string error)
    {
        var due = grain.Now + WithJitter(Schedule.Delays[attempt - 1], attempt);
        State.NextRetryAt = due;
        grain.Remind(Retry, due);
        MoveTo(DeliveryStatus.Retrying, $"attempt {attempt} failed: {error}; next attempt at {Format(due)}");
    }

    /// <summary>±20 % derived from the delivery id and the attempt, so replays and restarts pick the same time.</summary>
    private TimeSpan WithJitter(TimeSpan delay, int attempt)
    {
        var hash = 2166136261u;
        foreach (var c in $"{grain.Key}#{attempt}")
            hash = unchecked((hash ^ c) * 16777619u);
        var factor = 1 + JitterShare * ((hash % 2001) / 1000.0 - 1);
        return TimeSpan.FromTicks((long)(delay.Ticks * factor));
    }

    private void MoveTo(DeliveryStatus next, string cause)
    {
        DeliveryStateMachine.EnsureAllowed(State.Status, next);
        var from = State.Status;
        State.Status = next;
        grain.Journal(new DeliveryStepped(from, next, cause, State.Attempt, grain.Now));
        Changed();
        OnEntered(next);
    }

    private void Changed()
    {
        var (health, _, _) = Health();
        grain.Project(new DeliveryRow(grain.Key, Request.OrderId, State.Status, Request.Kind, Request.ProductId, health, grain.Now));
        grain.Publish(new DeliveryChanged(grain.Key, Request.OrderId, Request.AccountId, State.Status, health));
    }

    private (DeliveryHealth Health, string Explanation, string NextStep) Health()
    {
        switch (State.Status)
        {
            case DeliveryStatus.Ready or DeliveryStatus.Downloaded or DeliveryStatus.Completed:
                return Request.Kind switch
                {
                    DeliveryKind.LicenseKey => (DeliveryHealth.Healthy, "Your licence key is ready.", "Copy the key from your order page."),
                    DeliveryKind.SiteAccess => (DeliveryHealth.Healthy, "Your site access is ready.", "Open your order page for the login details."),
                    _ => (DeliveryHealth.Healthy, "Your download is ready.", "Download it from your order page."),
                };
            case DeliveryStatus.Revoked:
                return (DeliveryHealth.Healthy, $"This delivery was withdrawn: {State.RevokedReason}.", "Nothing to do.");
            case DeliveryStatus.Failed or DeliveryStatus.Escalated:
                return (DeliveryHealth.NeedsAttention,
                    "We could not deliver this automatically; a technician has been alerted and will finish it.",
                    "You don't need to do anything; this page updates the moment it is ready.");
        }
        var next = State.Status == DeliveryStatus.Retrying && State.NextRetryAt is { } at
            ? $"We try again automatically at {Format(at)}; this page updates by itself."
            : "We are working on it now; this page updates the moment it is ready.";
        if (State.TechnicianAssignedAt is not null) next = "A technician is looking at it. " + next;
        if (!State.SlaBreached)
            return (DeliveryHealth.Healthy, "We are preparing your delivery.", next);
        var why = State.LastError is { } error ? $" The last attempt failed: {error}" : "";
        return (DeliveryHealth.Delayed, $"Your delivery is taking longer than the usual {Describe(Request.Sla)}.{why}", next);
    }

    private DeliveryView View()
    {
        var (health, explanation, nextStep) = Health();
        return new DeliveryView(grain.Key, Request.OrderId, Request.Line, Request.ProductId, Request.ProductTitle, Request.Kind,
            State.Status, State.Attempt, State.LastError, health, explanation, nextStep, State.ReadyAt,
            State.Status == DeliveryStatus.Revoked ? null : State.LicenseKey, grain.Version, Downloads(), Actions());
    }

    private static string Format(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static string Describe(TimeSpan span) =>
        span.TotalHours >= 1 && span.TotalHours % 1 == 0 ? $"{span.TotalHours:0} h"
        : span.TotalMinutes >= 1 && span.TotalMinutes % 1 == 0 ? Count(span.TotalMinutes, "minute")
        : Count(Math.Round(span.TotalSeconds), "second");

    private static string Count(double amount, string unit) =>
        string.Create(CultureInfo.InvariantCulture, $"{amount:0} {unit}{(amount == 1 ? "" : "s")}");
}
