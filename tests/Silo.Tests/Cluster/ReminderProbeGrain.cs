using System.Collections.Concurrent;
using Orleans;
using Orleans.Runtime;

namespace Courier.Silo.Tests.Cluster;

public interface IReminderProbeGrain : IGrainWithStringKey
{
    Task ArmAsync(TimeSpan dueIn);
    Task DisarmAsync();
}

/// <summary>Records every reminder tick it receives, so tests can see Orleans reminders fire through our tables.</summary>
public sealed class ReminderProbeGrain : Grain, IReminderProbeGrain, IRemindable
{
    public const string ReminderName = "probe";
    public static ConcurrentDictionary<string, int> Ticks { get; } = new();

    public async Task ArmAsync(TimeSpan dueIn) =>
        await this.RegisterOrUpdateReminder(ReminderName, dueIn, TimeSpan.FromMinutes(1));

    public async Task DisarmAsync()
    {
        if (await this.GetReminder(ReminderName) is { } reminder) await this.UnregisterReminder(reminder);
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        Ticks.AddOrUpdate(this.GetPrimaryKeyString(), 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }
}
