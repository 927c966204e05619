using System.Collections.Concurrent;
using Courier.Abstractions.Catalog;
using Courier.Abstractions.Deliveries;
using Courier.Grains.Deliveries;

namespace Courier.TestSupport;

/// <summary>
/// Stands in for an outside provisioner (a hosting API): succeeds unless a product is scripted to
/// fail its first attempts or every attempt, and can hold a product's attempts until the test lets
/// them go. Placed in front of a real provisioner (<see cref="InFrontOf"/>), whatever is not
/// scripted goes to the real one. Records each attempt it was asked for.
/// </summary>
public sealed class ScriptedProvisioner(DeliveryKind kind) : IDeliveryProvisioner
{
    private readonly ConcurrentDictionary<string, (int Failures, string Error)> scripts = new();
    private readonly ConcurrentDictionary<string, int> failedSoFar = new();
    private readonly ConcurrentDictionary<string, ProvisioningHold> holds = new();
    private readonly ConcurrentQueue<ProvisionDelivery> received = new();
    private IDeliveryProvisioner? real;

    public DeliveryKind Kind => kind;

    public IReadOnlyList<ProvisionDelivery> Received => [.. received];

    /// <summary>Attempts that are not scripted to fail go to <paramref name="provisioner"/> instead of simply succeeding.</summary>
    public ScriptedProvisioner InFrontOf(IDeliveryProvisioner provisioner)
    {
        ArgumentNullException.ThrowIfNull(provisioner);
        if (provisioner.Kind != kind)
            throw new ArgumentException($"A scripted {kind} provisioner cannot stand in front of a {provisioner.Kind} provisioner.", nameof(provisioner));
        real = provisioner;
        return this;
    }

    /// <summary>Deliveries of <paramref name="productId"/> fail <paramref name="times"/> attempts in all, then succeed.</summary>
    public void FailFirst(string productId, int times, string error)
    {
        failedSoFar.TryRemove(productId, out _);
        scripts[productId] = (times, error);
    }

    public void AlwaysFail(string productId, string error) => scripts[productId] = (int.MaxValue, error);

    /// <summary>
    /// Attempts for <paramref name="productId"/> wait until the returned hold is released (or the
    /// outbox gives up on them), then go on as scripted. Dispose the hold to release it.
    /// </summary>
    public ProvisioningHold Hold(string productId)
    {
        var hold = new ProvisioningHold(() => holds.TryRemove(productId, out _));
        if (!holds.TryAdd(productId, hold)) throw new InvalidOperationException($"Attempts for {productId} are already held.");
        return hold;
    }

    public async Task<ProvisioningOutcome> ProvisionAsync(ProvisionDelivery request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        received.Enqueue(request);
        if (holds.TryGetValue(request.ProductId, out var hold))
            await hold.Released.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (scripts.TryGetValue(request.ProductId, out var script)
            && failedSoFar.AddOrUpdate(request.ProductId, 1, (_, n) => n + 1) <= script.Failures)
            return ProvisioningOutcome.Failed($"{script.Error} (attempt {request.Attempt})");
        return real is null
            ? ProvisioningOutcome.Succeeded(new DeliveryResult())
            : await real.ProvisionAsync(request, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>Held provisioning attempts of one product; <see cref="Release"/> lets them go on.</summary>
public sealed class ProvisioningHold(Action removed) : IDisposable
{
    private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal Task Released => released.Task;

    public void Release()
    {
        removed();
        released.TrySetResult();
    }

    public void Dispose() => Release();
}
