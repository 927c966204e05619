using System.Net;
using Courier.Abstractions.Inventory;
using Courier.TestSupport;

namespace Courier.WebFront.Tests.Commerce;

public sealed class InventoryConcurrencyTests(CourierWebFactory factory) : IClassFixture<CourierWebFactory>
{
    [Fact]
    public async Task Two_hundred_concurrent_checkouts_for_twenty_units_sell_exactly_twenty_and_expiry_restores_the_rest()
    {
        await factory.SeedProductAsync("prod_last_units", 2900, stock: 20);
        var shoppers = new List<ApiSession>();
        for (var i = 0; i < 200; i++)
        {
            var shopper = await new ApiSession(factory).OpenAsync();
            await shopper.AddToCartAsync("prod_last_units");
            shoppers.Add(shopper);
        }

        var responses = await Task.WhenAll(shoppers.Select((s, i) =>
            s.SendJsonAsync(HttpMethod.Post, "/api/checkout", new { email = $"buyer{i}@example.com" })));

        var unexpected = (await Task.WhenAll(responses.Where(r => r.StatusCode != HttpStatusCode.OK).Select(async r => $"{(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}")))
            .Where(text => !text.Contains("\"available\":0", StringComparison.Ordinal)).ToList();
        Assert.True(unexpected.Count == 0, string.Join("\n", unexpected));
        Assert.Equal(20, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        var refused = responses.Where(r => r.StatusCode != HttpStatusCode.OK).ToList();
        Assert.Equal(180, refused.Count);
        foreach (var response in refused)
        {
            var problem = await response.JsonAsync(HttpStatusCode.Conflict);
            Assert.Equal("prod_last_units", problem.GetProperty("productId").GetString());
            Assert.Equal(0, problem.GetProperty("available").GetInt32());
            Assert.Contains("sold out", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        var stock = await factory.Grains().GetGrain<IInventoryGrain>("prod_last_units").GetAsync();
        Assert.Equal(new StockView("prod_last_units", 20, 0, 20, 0), stock);

        // Nobody pays: every payment deadline passes, the orders are reconciled and expire.
        await factory.Database.ExecuteAsync("UPDATE reminders SET due_at = now() WHERE name = 'payment-deadline'");
        await factory.FireDueRemindersAsync();
        await Eventually.TrueAsync(async () => (await factory.Grains().GetGrain<IInventoryGrain>("prod_last_units").GetAsync()).Available == 20,
            within: TimeSpan.FromSeconds(40), because: "expired orders return their units");
        Assert.Equal(new StockView("prod_last_units", 20, 0, 0, 20), await factory.Grains().GetGrain<IInventoryGrain>("prod_last_units").GetAsync());
        await Eventually.TrueAsync(async () => await factory.Database.ScalarAsync<int>("SELECT count(*) FROM orders WHERE status = 'Expired'") == 20,
            because: "every unpaid order ends Expired");
        Assert.Equal(180, await factory.Database.ScalarAsync<int>("SELECT count(*) FROM orders WHERE status = 'Cancelled'"));
        foreach (var shopper in shoppers) shopper.Dispose();
        foreach (var response in responses) response.Dispose();
    }
}
