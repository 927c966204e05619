using Courier.Abstractions.Live;
using Courier.Abstractions.Runtime;

namespace Courier.Abstractions.Deliveries;

/// <summary>The licence keys of one product (keyed by product id): each key goes to one delivery, once.</summary>
public interface ILicenseKeyPoolGrain : IGrainWithStringKey
{
    /// <summary>Adds keys an admin uploaded; blanks and keys the pool already knows are skipped. Returns the pool.</summary>
    Task<LicenseKeyPoolView> AddKeys(IReadOnlyList<string> keys);

    /// <summary>The delivery's key: the same one on every call for the same delivery; null when the pool is empty or the delivery was revoked.</summary>
    Task<string?> Allocate(string deliveryId);

    /// <summary>Disables the delivery's key (after a revoke); a later Allocate for it returns null.</summary>
    Task Disable(string deliveryId);

    [Query] Task<LicenseKeyPoolView> Get();
}

public sealed record LicenseKeyPoolView(string ProductId, int Available, int Allocated, int Disabled);

public sealed record LicenseKeyPoolLow(string ProductId, int Available) : LiveEvent
{
    public override string Kind => "licenseKeyPoolLow";
    public override IReadOnlyList<string> Topics => ["admin"];
}
