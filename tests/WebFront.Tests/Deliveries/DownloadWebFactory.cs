using System.Net;
using System.Text.Json;
using Courier.Abstractions.Accounts;
using Courier.Abstractions.Catalog;
using Courier.Abstractions.Commerce;
using Courier.TestSupport;
using Courier.WebFront.Accounts;
using Courier.WebFront.Tests.Commerce;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Courier.WebFront.Tests.Deliveries;

/// <summary>
/// The web front with product files in a temporary folder (a few kilobytes, left to the system's
/// temporary-file cleanup) and a clock the tests move (link expiry, rate-limit windows).
/// </summary>
public sealed class DownloadWebFactory : CourierWebFactory
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);
    public string FilesRoot { get; } = Path.Combine(Path.GetTempPath(), $"courier-web-files-{Guid.NewGuid():N}");

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["Courier:Files:Root"] = FilesRoot };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}

/// <summary>Buying, downloading and administering deliveries through the public HTTP API.</summary>
internal static class DeliveryDriver
{
    /// <summary>A download product with a file of <paramref name="size"/> random bytes; returns the product and the file's bytes.</summary>
    public static async Task<(ProductView Product, byte[] Content)> SeedDownloadAsync(this DownloadWebFactory factory, int size = 4096, int? downloadLimit = null)
    {
        var id = $"prod_dl_{Guid.NewGuid():N}"[..20];
        var content = System.Security.Cryptography.RandomNumberGenerator.GetBytes(size);
        var file = $"products/{id}/template.zip";
        Directory.CreateDirectory(Path.Combine(factory.FilesRoot, "products", id));
        await File.WriteAllBytesAsync(Path.Combine(factory.FilesRoot, file), content);
        var product = await factory.Grains().GetGrain<IProductGrain>(id).SaveAsync(new ProductDraft(
            id.Replace('_', '-'), "Aurora SaaS kit", "A kit.", "# Aurora", ["/media/x.svg"], new Money(4900, "usd"), DeliveryKind.Download,
            null, null, ["test"], DownloadFile: file, DownloadLimit: downloadLimit));
        return (product, content);
    }

    /// <summary>Buys one unit and waits until its delivery is ready; returns the delivery as the shopper sees it.</summary>
    public static async Task<JsonElement> BuyAsync(this ApiSession shopper, string productId, string email = "buyer@example.com")
    {
        await shopper.AddToCartAsync(productId);
        var (orderId, redirect) = await shopper.CheckoutAsync(email);
        (await shopper.PayAsync(redirect, "4242 4242 4242 4242")).Dispose();
        JsonElement delivery = default;
        await Eventually.TrueAsync(async () =>
        {
            using var response = await shopper.GetAsync($"/api/deliveries/{orderId}:1");
            if (response.StatusCode != HttpStatusCode.OK) return false;
            delivery = await response.JsonAsync();
            return delivery.GetProperty("status").GetString() == "ready";
        }, TimeSpan.FromSeconds(20), $"the delivery of {orderId} becomes ready");
        return delivery;
    }

    public static async Task<JsonElement> DeliveryAsync(this ApiSession shopper, string deliveryId) =>
        await (await shopper.GetAsync($"/api/deliveries/{deliveryId}")).JsonAsync();

    public static string LinkOf(JsonElement delivery) => delivery.GetProperty("downloads").GetProperty("link").GetProperty("url").GetString()!;

    public static async Task<ApiSession> AdminAsync(this DownloadWebFactory factory)
    {
        var email = $"admin-{Guid.NewGuid():N}@example.com";
        await factory.Services.GetRequiredService<AccountRegistrar>().RegisterAsync(email, "Store admin", "admin passphrase 42", [Roles.Admin], "system:test");
        var admin = await new ApiSession(factory).OpenAsync();
        (await admin.LoginAsync(email, "admin passphrase 42")).Dispose();
        return admin;
    }

    public static async Task<ApiSession> CustomerAsync(this DownloadWebFactory factory)
    {
        var customer = await new ApiSession(factory).OpenAsync();
        (await customer.RegisterAsync($"customer-{Guid.NewGuid():N}@example.com")).Dispose();
        return customer;
    }
}
