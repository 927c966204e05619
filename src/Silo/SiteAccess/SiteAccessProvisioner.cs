using Courier.Abstractions.Catalog;
using Courier.Abstractions.Deliveries;
using Courier.Abstractions.Orders;
using Courier.Abstractions.Runtime;
using Courier.Abstractions.SiteAccess;
using Courier.Grains.Deliveries;

namespace Courier.Silo.SiteAccess;

/// <summary>
/// Provisions a site-access delivery on the configured site host (<c>Deliveries:SiteAccess:Provider</c>):
/// the host creates the account, the credentials are sealed here, and the delivery's site access
/// records them. A delivery that already has its account reuses it, so a repeated attempt never
/// creates a second one.
/// </summary>
internal sealed class SiteAccessProvisioner(IGrainFactory grains, SiteHosts hosts, SiteCredentialVault vault) : IDeliveryProvisioner
{
    public DeliveryKind Kind => DeliveryKind.SiteAccess;

    public async Task<ProvisioningOutcome> ProvisionAsync(ProvisionDelivery request, CancellationToken cancellationToken)
    {
        var site = grains.GetGrain<ISiteAccessGrain>(request.DeliveryId);
        var existing = await site.GetAsync().ConfigureAwait(false);
        if (existing?.RevokedAt is not null) return Withdrawn();
        if (existing is { SealedCredentials: not null }) return ProvisioningOutcome.Succeeded(new DeliveryResult());

        var product = await grains.GetGrain<IProductGrain>(request.ProductId).GetAsync().ConfigureAwait(false);
        if (product is null) return ProvisioningOutcome.Failed($"Product {request.ProductId} no longer exists in the catalog.");
        var order = await grains.GetGrain<IOrderGrain>(request.OrderId).GetAsync().ConfigureAwait(false);
        if (order is null) return ProvisioningOutcome.Failed($"Order {request.OrderId} was not found, so there is no customer to create the site account for.");

        var host = hosts.Current;
        var answer = await host.CreateAsync(new SiteAccountOrder(request.DeliveryId, request.OrderId, product.Id, product.Slug, product.Title,
            product.DownloadFile, order.Email), cancellationToken).ConfigureAwait(false);
        if (answer.Error is { } error) return ProvisioningOutcome.Failed(error);

        var recorded = await site.ProvisionedAsync(new SiteAccountGranted(request.OrderId, product.Id, host.Name, answer.Account!, answer.LoginUrl!,
            vault.Seal(answer.Credentials!))).ConfigureAwait(false);
        return recorded == SiteAccessProvisioning.Revoked ? Withdrawn() : ProvisioningOutcome.Succeeded(new DeliveryResult());
    }

    private static ProvisioningOutcome Withdrawn() => ProvisioningOutcome.Failed("This delivery was withdrawn, so its site account is not set up.");
}

/// <summary>The site hosts by name, and the one new accounts go to.</summary>
internal sealed class SiteHosts(IEnumerable<ISiteHost> all, Microsoft.Extensions.Options.IOptions<SiteAccessOptions> options)
{
    public ISiteHost Current => Named(options.Value.Provider == SiteAccessProvider.Http ? SiteHostNames.Http : SiteHostNames.Builtin);

    public ISiteHost Named(string name) => all.LastOrDefault(h => h.Name == name)
        ?? throw new InvalidOperationException($"No site host named \"{name}\" is registered; an account made by it cannot be changed.");
}
