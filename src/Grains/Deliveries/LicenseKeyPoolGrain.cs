using Courier.Abstractions.Deliveries;
using Courier.Abstractions.Runtime;

namespace Courier.Grains.Deliveries;

public sealed class LicenseKeyPoolState
{
    public List<string> Available { get; set; } = [];
    public Dictionary<string, string> AllocatedTo { get; set; } = [];
    public HashSet<string> Known { get; set; } = [];
    public HashSet<string> DisabledDeliveries { get; set; } = [];
    public bool LowAlerted { get; set; }
}

public sealed record LicenseKeysAdded(int Added, int Available);
public sealed record LicenseKeyAllocated(string DeliveryId, int AvailableAfter);
public sealed record LicenseKeyDisabled(string DeliveryId);

internal sealed class LicenseKeyPoolGrain(IGrainContext<LicenseKeyPoolState> grain) : ILicenseKeyPoolGrain
{
    public const int LowPoolThreshold = 5;

    private LicenseKeyPoolState State => grain.State;

    public Task<LicenseKeyPoolView> AddKeys(IReadOnlyList<string> keys)
    {
        var added = 0;
        foreach (var key in keys.Select(k => k.Trim()).Where(k => k.Length > 0))
        {
            if (!State.Known.Add(key)) continue;
            State.Available.Add(key);
            added++;
        }
        if (added > 0)
        {
            grain.Journal(new LicenseKeysAdded(added, State.Available.Count));
            if (State.Available.Count >= LowPoolThreshold) State.LowAlerted = false;
        }
        return Task.FromResult(View());
    }

    public Task<string?> Allocate(string deliveryId)
    {
        if (State.DisabledDeliveries.Contains(deliveryId)) return Task.FromResult<string?>(null);
        if (State.AllocatedTo.TryGetValue(deliveryId, out var key)) return Task.FromResult<string?>(key);
        if (State.Available.Count == 0)
        {
            AlertIfLow();
            return Task.FromResult<string?>(null);
        }
        key = State.Available[0];
        State.Available.RemoveAt(0);
        State.AllocatedTo[deliveryId] = key;
        grain.Journal(new LicenseKeyAllocated(deliveryId, State.Available.Count));
        AlertIfLow();
        return Task.FromResult<string?>(key);
    }

    public Task Disable(string deliveryId)
    {
        if (!State.DisabledDeliveries.Add(deliveryId)) return Task.CompletedTask;
        grain.Journal(new LicenseKeyDisabled(deliveryId));
        return Task.CompletedTask;
    }

    public Task<LicenseKeyPoolView> Get() => Task.FromResult(View());

    private void AlertIfLow()
    {
        if (State.LowAlerted || State.Available.Count >= LowPoolThreshold) return;
        State.LowAlerted = true;
        grain.Publish(new LicenseKeyPoolLow(grain.Key, State.Available.Count));
    }

    private LicenseKeyPoolView View() => new(grain.Key, State.Available.Count,
        State.AllocatedTo.Count(a => !State.DisabledDeliveries.Contains(a.Key)),
        State.AllocatedTo.Count(a => State.DisabledDeliveries.Contains(a.Key)));
}
