using System.ComponentModel.DataAnnotations;

namespace Courier.Silo.Runtime;

/// <summary>Settings of the grain runtime (configuration section "Courier:Runtime").</summary>
public sealed class RuntimeOptions
{
    public const string Section = "Courier:Runtime";

    /// <summary>How long a caller waits for a grain call, queueing included (a call cycle surfaces as this timeout).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Idle time after which an activation is deactivated, unless its class says otherwise.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "7.00:00:00")]
    public TimeSpan IdleDeactivation { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often idle activations are looked for.</summary>
    public TimeSpan IdleScanInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many times a call is replayed after losing an optimistic-concurrency race. A node that
    /// keeps committing the same grain back to back wins most races (the loser must reload first),
    /// so the bound is generous and replays back off with jitter.
    /// </summary>
    [Range(1, 1000)]
    public int MaxConflictReplays { get; set; } = 64;

    /// <summary>Identifies this node in leases and live-update relays. Default: machine name + process id + random suffix.</summary>
    public string? NodeName { get; set; }

    public TimeSpan ReminderPollInterval { get; set; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan ReminderLease { get; set; } = TimeSpan.FromSeconds(90);
    public int ReminderBatchSize { get; set; } = 512;
    public int ReminderConcurrency { get; set; } = 64;
    public TimeSpan ReminderRetryBase { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan ReminderRetryMax { get; set; } = TimeSpan.FromMinutes(5);

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
