using Courier.Abstractions.Audit;
using Courier.Abstractions.Commerce;
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

[Orleans.Alias("LicenseKeysAdded")]
public sealed record LicenseKeysAdded(int Added, int Available) : IJournalEntry;
[Orleans.Alias("LicenseKeyAllocated")]
public sealed record LicenseKeyAllocated(string DeliveryId, int AvailableAfter) : IJournalEntry;
[Orleans.Alias("LicenseKeyDisabled")]
public sealed record LicenseKeyDisabled(string DeliveryId) : IJournalEntry;

[Orleans.GrainType("Courier.Grains.Deliveries.LicenseKeyPoolGrain")]
internal sealed class LicenseKeyPoolGrain([GrainContext] IGrainContext<LicenseKeyPoolState> grain) : Grain, ILicenseKeyPoolGrain
{
    public const int LowPoolThreshold = 5;

    private LicenseKeyPoolState State => grain.State;

    public const int MaxKeysPerUpload = 10_000;
    public const int MaxKeyLength = 200;

    public Task<LicenseKeyUpload> UploadAsync(IReadOnlyList<string> keys, string adminId)
    {
        Validate(keys);
        var added = Add(keys);
        grain.Project(new AuditEntry(grain.Now, adminId, AuditActions.LicenseKeysAdded, $"product:{grain.Key}", new Dictionary<string, string>
        {
            ["added"] = $"{added}", ["skipped"] = $"{keys.Count - added}", ["available"] = $"{State.Available.Count}",
        }));
        return Task.FromResult(new LicenseKeyUpload(added, keys.Count - added, View()));
    }

    public Task<LicenseKeyPoolView> AddKeysAsync(IReadOnlyList<string> keys)
    {
        Add(keys);
        return Task.FromResult(View());
    }

    private int Add(IReadOnlyList<string> keys)
    {
        var added = 0;
        foreach (var key in keys.Select(k => (k ?? "").Trim()).Where(k => k.Length > 0))
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
        return added;
    }

    private static void Validate(IReadOnlyList<string> keys)
    {
        var errors = new Dictionary<string, object?>();
        if (keys.Count == 0 || keys.All(string.IsNullOrWhiteSpace)) errors["keys"] = "Send at least one licence key, e.g. {\"keys\": [\"ABCD-1234-EFGH-5678\"]}.";
        else if (keys.Count > MaxKeysPerUpload) errors["keys"] = $"Send at most {MaxKeysPerUpload:N0} keys at a time; split the list into several uploads.";
        else
        {
            foreach (var (key, index) in keys.Select((k, i) => ((k ?? "").Trim(), i)).Where(k => k.Item1.Length > MaxKeyLength || k.Item1.Any(char.IsControl)).Take(10))
                errors[$"keys[{index}]"] = key.Length > MaxKeyLength
                    ? $"This key has {key.Length} characters; a key may have at most {MaxKeyLength}."
                    : "This key contains a control character (such as a tab or a line break); send one key per list entry.";
        }
        if (errors.Count > 0)
            throw new RuleViolationException("invalid-license-keys", "Nothing was added: some keys are not valid. Fix them and upload the list again.", 400, errors);
    }

    public Task<string?> AllocateAsync(string deliveryId)
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

    public Task DisableAsync(string deliveryId)
    {
        if (!State.DisabledDeliveries.Add(deliveryId)) return Task.CompletedTask;
        grain.Journal(new LicenseKeyDisabled(deliveryId));
        return Task.CompletedTask;
    }

    public Task<LicenseKeyPoolView> GetAsync() => Task.FromResult(View());

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
