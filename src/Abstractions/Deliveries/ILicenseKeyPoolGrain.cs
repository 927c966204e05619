using Orleans.Concurrency;
using Courier.Abstractions.Live;
using Courier.Abstractions.Runtime;

namespace Courier.Abstractions.Deliveries;

/// <summary>The licence keys of one product (keyed by product id): each key goes to one delivery, once.</summary>
public interface ILicenseKeyPoolGrain : IGrainWithStringKey
{
    /// <summary>Adds keys an admin uploaded; blanks and keys the pool already knows are skipped. Returns the pool.</summary>
    Task<LicenseKeyPoolView> AddKeysAsync(IReadOnlyList<string> keys);

    /// <summary>
    /// Adds keys an admin uploaded, audited with <paramref name="adminId"/> (the keys themselves are
    /// never in the audit log). Rejects the whole upload when a key is malformed; skips blanks and
    /// keys the pool already knows.
    /// </summary>
    Task<LicenseKeyUpload> UploadAsync(IReadOnlyList<string> keys, string adminId);

    /// <summary>The delivery's key: the same one on every call for the same delivery; null when the pool is empty or the delivery was revoked.</summary>
    Task<string?> AllocateAsync(string deliveryId);

    /// <summary>Disables the delivery's key (after a revoke); a later Allocate for it returns null.</summary>
    Task DisableAsync(string deliveryId);

    [ReadOnly] Task<LicenseKeyPoolView> GetAsync();
}

public sealed record LicenseKeyPoolView(string ProductId, int Available, int Allocated, int Disabled);

/// <param name="Added">Keys new to the pool.</param>
/// <param name="Skipped">Blank lines and keys the pool already had.</param>
public sealed record LicenseKeyUpload(int Added, int Skipped, LicenseKeyPoolView Pool);

public sealed record LicenseKeyPoolLow(string ProductId, int Available) : LiveEvent
{
    public override string Kind => "licenseKeyPoolLow";
    public override IReadOnlyList<string> Topics => ["admin"];
}
