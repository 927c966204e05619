using Courier.Silo.Grains;
using Courier.Silo.Live;
using Courier.Silo.Migrations;
using Courier.Silo.Outbox;
using Courier.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Courier.Silo.Hosting;

/// <summary>
/// What Courier runs beside the Orleans silo of a node. Before the silo starts (a hosted service
/// registered ahead of it): wait for the database and migrate it — Orleans' own tables come from
/// the migrations — and start the live-update relay. Once the silo is active (a silo lifecycle
/// participant): the outbox dispatcher, and one sweep of reminder ticks that came due while no
/// node ran. On the way down the outbox drains before the silo stops.
/// </summary>
public sealed partial class SiloHost : IHostedService, ILifecycleParticipant<ISiloLifecycle>, IAsyncDisposable
{
    private readonly CommitPipeline pipeline;
    private readonly IServiceProvider services;
    private readonly OutboxDispatcher outbox;
    private readonly LiveUpdateRelay relay;
    private readonly SiloHostOptions hostOptions;
    private readonly ILogger<SiloHost> log;
    private readonly CancellationTokenSource stopping = new();
    private readonly List<Task> loops = [];
    private volatile bool killed;

    internal SiloHost(
        CommitPipeline pipeline,
        IServiceProvider services,
        OutboxDispatcher outbox,
        LiveUpdateRelay relay,
        IOptions<SiloHostOptions> hostOptions,
        ILogger<SiloHost> log)
    {
        this.pipeline = pipeline;
        this.services = services;
        this.outbox = outbox;
        this.relay = relay;
        this.hostOptions = hostOptions.Value;
        this.log = log;
        pipeline.Committed += OnCommitted;
    }

    public bool IsRunning { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (services.GetService<NpgsqlDataSource>() is { } dataSource && pipeline.Store is PostgresGrainStore)
        {
            await DatabaseStartup.WaitUntilReachableAsync(dataSource, hostOptions.DatabaseStartupPatience, log, cancellationToken).ConfigureAwait(false);
            if (hostOptions.ApplyMigrations)
                await services.GetRequiredService<MigrationRunner>().ApplyAsync(cancellationToken).ConfigureAwait(false);
        }

        var token = stopping.Token;
        loops.Add(Task.Run(() => relay.RunAsync(token), CancellationToken.None));
        await relay.Connected.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
    }

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SiloHost), ServiceLifecycleStage.Active, OnSiloActiveAsync, OnSiloStoppingAsync);

    private Task OnSiloActiveAsync(CancellationToken cancellationToken)
    {
        loops.Add(outbox.RunAsync(stopping.Token)); // not Task.Run: commits claim their messages from the moment this returns
        loops.Add(Task.Run(() => services.GetRequiredService<ReminderSweep>().RunAsync(stopping.Token), CancellationToken.None));
        IsRunning = true;
        LogStarted(pipeline.NodeName);
        return Task.CompletedTask;
    }

    /// <summary>The silo is going down: stop taking work and let in-flight handlers finish while grains can still be called.</summary>
    private async Task OnSiloStoppingAsync(CancellationToken cancellationToken)
    {
        if (!IsRunning) return;
        IsRunning = false;
        await stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(loops).WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        LogStopped(pipeline.NodeName);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (killed) return; // a crash waits for nothing
        if (!stopping.IsCancellationRequested) await stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(loops).WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
    }

    /// <summary>Stops abruptly, as a crash would: nothing is drained, leases are left to expire.</summary>
    internal void Kill()
    {
        killed = true;
        IsRunning = false;
        outbox.Abandon();
        stopping.Cancel();
    }

    internal OutboxDispatcher Outbox => outbox;

    private void OnCommitted(GrainCommit commit) => outbox.Accept(commit);

    public async ValueTask DisposeAsync()
    {
        pipeline.Committed -= OnCommitted;
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Courier node {Node} started")]
    private partial void LogStarted(string node);

    [LoggerMessage(Level = LogLevel.Information, Message = "Courier node {Node} stopped")]
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
