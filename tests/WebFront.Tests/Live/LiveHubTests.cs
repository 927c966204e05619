using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Courier.TestSupport.Node;
using Courier.WebFront.Tests.Commerce;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.WebFront.Tests.Live;

/// <summary>The web front on a real Kestrel port, so an outside client (Node) can connect.</summary>
public class KestrelWebFactory : CourierWebFactory
{
    public KestrelWebFactory() => UseKestrel(0);

    public Uri Address
    {
        get
        {
            StartServer();
            return new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        }
    }
}

/// <summary>Another node of the same shop: its own port and Orleans silo, the given node's database (so one cluster).</summary>
public sealed class OtherNodeFactory(string connectionString) : KestrelWebFactory
{
    protected override IReadOnlyDictionary<string, string> Settings { get; } =
        new Dictionary<string, string> { ["ConnectionStrings:Courier"] = connectionString };
}

/// <summary>The live hub, driven by the official @microsoft/signalr client from Node.</summary>
public sealed class LiveHubTests(KestrelWebFactory factory) : IClassFixture<KestrelWebFactory>
{
    [Fact]
    public async Task Watching_someone_elses_order_is_refused_with_an_error_the_client_sees()
    {
        await factory.SeedProductAsync("prod_hub_private", 1000);
        using var owner = await new ApiSession(factory, factory.Address).OpenAsync();
        await owner.AddToCartAsync("prod_hub_private");
        var (orderId, _) = await owner.CheckoutAsync("owner@example.com");
        using var stranger = await new ApiSession(factory, factory.Address).OpenAsync();

        var refused = await WatchAsync(Cookies(stranger), $"order:{orderId}");
        var allowed = await WatchAsync(Cookies(owner), $"order:{orderId}");
        var notAdmin = await WatchAsync(Cookies(stranger), "admin");

        Assert.False(refused.GetProperty("ok").GetBoolean());
        Assert.Contains("not one of your orders", refused.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.True(allowed.GetProperty("ok").GetBoolean());
        Assert.False(notAdmin.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task A_cart_change_reaches_the_watching_client_with_its_version()
    {
        await factory.SeedProductAsync("prod_hub_cart", 2500);
        using var shopper = await new ApiSession(factory, factory.Address).OpenAsync();
        await shopper.AddToCartAsync("prod_hub_cart");

        var watching = StartWatching(Cookies(shopper), "cart", "cartChanged");
        await watching.Ready;
        var cart = await shopper.AddToCartAsync("prod_hub_cart");
        var result = await watching.Result;

        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        var message = result.GetProperty("event");
        Assert.Equal(2, message.GetProperty("data").GetProperty("itemCount").GetInt32());
        Assert.Equal(5000, message.GetProperty("data").GetProperty("total").GetProperty("amount").GetInt64());
        Assert.Equal(cart.GetProperty("version").GetInt64(), message.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task A_change_reaches_clients_connected_to_either_node_of_a_two_node_cluster_with_its_version()
    {
        await factory.SeedProductAsync("prod_hub_two_nodes", 1500);
        var other = new OtherNodeFactory(factory.Database.ConnectionString);
        await ((IAsyncLifetime)other).InitializeAsync();
        try
        {
            using var shopper = await new ApiSession(factory, factory.Address).OpenAsync();
            await shopper.AddToCartAsync("prod_hub_two_nodes");

            // Orleans keeps the cart grain on one of the two silos: one of these clients is on the other node.
            var onFirst = StartWatching(factory.Address, Cookies(shopper), "cart", "cartChanged");
            var onOther = StartWatching(other.Address, Cookies(shopper), "cart", "cartChanged");
            await Task.WhenAll(onFirst.Ready, onOther.Ready);
            var cart = await shopper.AddToCartAsync("prod_hub_two_nodes");

            foreach (var result in await Task.WhenAll(onFirst.Result, onOther.Result))
            {
                Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
                Assert.Equal(2, result.GetProperty("event").GetProperty("data").GetProperty("itemCount").GetInt32());
                Assert.Equal(cart.GetProperty("version").GetInt64(), result.GetProperty("event").GetProperty("version").GetInt64());
            }
        }
        finally
        {
            await ((IAsyncLifetime)other).DisposeAsync();
        }
    }

    private static string Cookies(ApiSession session) =>
        string.Join("; ", session.Cookies.GetAllCookies().Select(c => $"{c.Name}={c.Value}"));

    private async Task<JsonElement> WatchAsync(string cookie, string topic)
    {
        var output = await NodeTestPackages.RunScriptAsync("hub-watch.mjs",
            JsonSerializer.Serialize(new { url = new Uri(factory.Address, "/hubs/live").ToString(), cookie, topic }));
        return JsonDocument.Parse(output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last()).RootElement.Clone();
    }

    private Watcher StartWatching(string cookie, string topic, string eventKind) =>
        StartWatching(factory.Address, cookie, topic, eventKind);

    private static Watcher StartWatching(Uri node, string cookie, string topic, string eventKind) =>
        new(new Uri(node, "/hubs/live"), cookie, topic, eventKind);

    /// <summary>A Node client watching in the background: <see cref="Ready"/> once it watches, <see cref="Result"/> when it has the event.</summary>
    private sealed class Watcher
    {
        private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Watcher(Uri url, string cookie, string topic, string eventKind)
        {
            Result = RunAsync(url, cookie, topic, eventKind);
        }

        public Task Ready => ready.Task.WaitAsync(TimeSpan.FromSeconds(30));
        public Task<JsonElement> Result { get; }

        private async Task<JsonElement> RunAsync(Uri url, string cookie, string topic, string eventKind)
        {
            await NodeTestPackages.EnsureInstalledAsync();
            using var node = Process.Start(new ProcessStartInfo("node", Path.Combine(NodeTestPackages.Folder, "hub-watch.mjs"))
            {
                WorkingDirectory = NodeTestPackages.Folder,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            await node.StandardInput.WriteAsync(JsonSerializer.Serialize(new { url = url.ToString(), cookie, topic, eventKind, timeoutMs = 15000 }));
            node.StandardInput.Close();
            string? last = null;
            while (await node.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line == "WATCHING") ready.TrySetResult();
                else last = line;
            }
            await node.WaitForExitAsync();
            ready.TrySetResult();
            return JsonDocument.Parse(last ?? $$"""{"ok":false,"message":{{JsonSerializer.Serialize(await node.StandardError.ReadToEndAsync())}}}""").RootElement.Clone();
        }
    }
}
