using System.Collections.Concurrent;
using Courier.Abstractions.Catalog;
using Courier.Abstractions.Deliveries;
using Courier.Grains.Deliveries;

namespace Courier.TestSupport;

/// <summary>
/// Stands in for an outside provisioner (a hosting API): succeeds unless a product is scripted to
/// fail its first attempts or every attempt. Records each attempt it was asked for.
/// </summary>
public sealed class ScriptedProvisioner(DeliveryKind kind) : IDeliveryProvisioner
{
    private readonly ConcurrentDictionary<string, (int Failures, string Error)> scripts = new();
    private readonly ConcurrentDictionary<string, int> failedSoFar = new();
    private readonly ConcurrentQueue<ProvisionDelivery> received = new();

    public DeliveryKind Kind => kind;

    public IReadOnlyList<ProvisionDelivery> Received => [.. received];

    /// <summary>Deliveries of <paramref name="productId"/> fail <paramref name="times"/> attempts in all, then succeed.</summary>
    public void FailFirst(string productId, int times, string error) => scripts[productId] = (times, error);

    public void AlwaysFail(string productId, string error) => scripts[productId] = (int.MaxValue, error);

    public Task<ProvisioningOutcome> ProvisionAsync(ProvisionDelivery request, CancellationToken cancellationToken)
    {
        received.Enqueue(request);
        if (scripts.TryGetValue(request.ProductId, out var script)
            && failedSoFar.AddOrUpdate(request.ProductId, 1, (_, n) => n + 1) <= script.Failures)
            return Task.FromResult(ProvisioningOutcome.Failed($"{script.Error} (attempt {request.Attempt})"));
        return Task.FromResult(ProvisioningOutcome.Succeeded(new DeliveryResult()));
    }
}
