using Courier.Silo.Live;
using Courier.Silo.Migrations;
using Courier.Silo.Outbox;
using Courier.Silo.Reminders;
using Courier.Silo.Runtime;
using Courier.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Courier.Silo.Hosting;

/// <summary>
/// Runs one node: prepares the database (waits for it, migrates), then the background loops —
/// live-update relay, reminder service, outbox dispatcher, idle-activation collector.
/// </summary>
public sealed partial class SiloHost : IHostedService, IAsyncDisposable
{
    private readonly GrainRuntime runtime;
    private readonly IServiceProvider services;
    private readonly ReminderService reminders;
    private readonly OutboxDispatcher outbox;
    private readonly LiveUpdateRelay relay;
    private readonly SiloHostOptions hostOptions;
    private readonly ILogger<SiloHost> log;
    private readonly CancellationTokenSource stopping = new();
    private readonly List<Task> loops = [];

    internal SiloHost(
        GrainRuntime runtime,
        IServiceProvider services,
        ReminderService reminders,
        OutboxDispatcher outbox,
        LiveUpdateRelay relay,
        IOptions<SiloHostOptions> hostOptions,
        ILogger<SiloHost> log)
    {
        this.runtime = runtime;
        this.services = services;
        this.reminders = reminders;
        this.outbox = outbox;
        this.relay = relay;
        this.hostOptions = hostOptions.Value;
        this.log = log;
        runtime.Committed += OnCommitted;
    }

    public bool IsRunning { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (services.GetService<NpgsqlDataSource>() is { } dataSource && runtime.Store is PostgresRuntimeStore)
        {
            await DatabaseStartup.WaitUntilReachableAsync(dataSource, hostOptions.DatabaseStartupPatience, log, cancellationToken).ConfigureAwait(false);
            if (hostOptions.ApplyMigrations)
                await services.GetRequiredService<MigrationRunner>().ApplyAsync(cancellationToken).ConfigureAwait(false);
        }

        var token = stopping.Token;
        loops.Add(Task.Run(() => relay.RunAsync(token), CancellationToken.None));
        loops.Add(Task.Run(() => reminders.RunAsync(token), CancellationToken.None));
        loops.Add(outbox.RunAsync(token)); // not Task.Run: commits claim their messages from the moment this returns
        loops.Add(Task.Run(() => CollectIdleAsync(token), CancellationToken.None));
        await relay.Connected.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        IsRunning = true;
        LogStarted(runtime.NodeName);
    }

    /// <summary>Graceful stop: loops finish their in-flight work, then the runtime stops.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!IsRunning) return;
        IsRunning = false;
        await stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(loops).WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        runtime.Stop();
        LogStopped(runtime.NodeName);
    }

    /// <summary>Stops abruptly, as a crash would: nothing is drained, leases are left to expire.</summary>
    internal void Kill()
    {
        IsRunning = false;
        outbox.Abandon();
        stopping.Cancel();
        runtime.Stop();
    }

    internal ReminderService Reminders => reminders;
    internal OutboxDispatcher Outbox => outbox;

    private void OnCommitted(GrainCommit commit)
    {
        outbox.Accept(commit);
        if (commit.Reminders.Any(r => r.Due is { } due && due - runtime.Time.GetUtcNow() < runtime.Options.ReminderPollInterval))
            reminders.Wake();
    }

    private async Task CollectIdleAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(runtime.Options.IdleScanInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
                runtime.CollectIdleActivations();
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        runtime.Committed -= OnCommitted;
        if (IsRunning) await StopAsync(CancellationToken.None).ConfigureAwait(false);
        stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo node {Node} started")]
    private partial void LogStarted(string node);

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo node {Node} stopped")]
    private partial void LogStopped(string node);
}

/// <summary>Start-up behaviour of a node (configuration section "Courier:Database").</summary>
public sealed class SiloHostOptions
{
    public const string Section = "Courier:Database";

    /// <summary>How long start-up waits for PostgreSQL before giving up with a clear error.</summary>
    public TimeSpan DatabaseStartupPatience { get; set; } = TimeSpan.FromSeconds(30);

    public bool ApplyMigrations { get; set; } = true;
}
