using System.ComponentModel.DataAnnotations;

namespace Courier.Silo.Grains;

/// <summary>
/// Settings of what Courier adds to Orleans on a node (configuration section "Courier:Runtime"):
/// grain calls, reminders' retry period and the outbox dispatcher.
/// </summary>
public sealed class RuntimeOptions
{
    public const string Section = "Courier:Runtime";

    /// <summary>How long a caller waits for a grain call (Orleans' response timeout; a call cycle surfaces as this timeout).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a call to a grain whose node just died is sent again before the caller gets an
    /// error (<see cref="RejectedCallRetryFilter"/>): the time the cluster takes to declare a
    /// killed node dead (4–5 s measured with the default probes), with room to spare.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan NodeLossPatience { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How soon a reminder tick that threw (or was never handled, e.g. every node was down) comes
    /// back: the period of the Orleans reminder behind each of Courier's one-shot reminders, and
    /// Orleans' minimum reminder period.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ReminderRetry { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Identifies this node in leases and live-update relays. Default: machine name + process id + random suffix.</summary>
    public string? NodeName { get; set; }

    public TimeSpan OutboxPollInterval { get; set; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan OutboxLease { get; set; } = TimeSpan.FromSeconds(60);
    public int OutboxBatchSize { get; set; } = 128;
    public int OutboxConcurrency { get; set; } = 32;
    [Range(1, 100)]
    public int OutboxMaxAttempts { get; set; } = 10;
    public TimeSpan OutboxRetryBase { get; set; } = TimeSpan.FromSeconds(2);
    public TimeSpan OutboxRetryMax { get; set; } = TimeSpan.FromMinutes(30);
    public TimeSpan OutboxHandlerTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long dispatched messages are kept (for inspection) before they are deleted; dead letters are kept.</summary>
    public TimeSpan OutboxRetainDone { get; set; } = TimeSpan.FromDays(7);
}
