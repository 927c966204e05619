using Courier.Abstractions.Catalog;
using Courier.Abstractions.Commerce;
using Courier.Abstractions.Inventory;

namespace Courier.Grains.Tests.Catalog;

public sealed class ProductGrainTests(CommerceSilo silo) : IClassFixture<CommerceSilo>
{
    [Fact]
    public async Task Save_valid_draft_stores_the_product_with_defaults()
    {
        var product = silo.Grains.GetGrain<IProductGrain>(CommerceSilo.NewKey("prod"));

        var saved = await product.SaveAsync(CommerceSilo.Draft() with { Title = "  Aurora  ", Tags = [" SaaS ", "saas", "", "Kit"] });

        Assert.Equal("Aurora", saved.Title);
        Assert.Equal(["saas", "kit"], saved.Tags);
        Assert.Equal(TimeSpan.FromMinutes(5), saved.DeliverySla);
        Assert.True(saved.Active);
        Assert.Equal(silo.Now, saved.UpdatedAt);
        Assert.Equal(saved, await product.GetAsync());
    }

    [Fact]
    public async Task Save_invalid_slug_title_price_and_currency_names_each_field()
    {
        var product = silo.Grains.GetGrain<IProductGrain>(CommerceSilo.NewKey("prod"));
        var draft = CommerceSilo.Draft() with { Slug = "Aurora SaaS", Title = " ", Price = new Money(0, "USD") };

        var error = await Assert.ThrowsAsync<RuleViolationException>(() => product.SaveAsync(draft));

        Assert.Equal("invalid-product", error.Code);
        Assert.Equal(400, error.Status);
        Assert.Equal(new[] { "price", "price.currency", "slug", "title" }, error.Details.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("Use a lowercase ISO currency code such as \"usd\".", error.Details["price.currency"]);
        Assert.Null(await product.GetAsync());
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("-aurora")]
    [InlineData("aurora-")]
    [InlineData("aurora--saas")]
    [InlineData("aurora_saas")]
    public async Task Save_malformed_slug_is_refused(string slug)
    {
        var product = silo.Grains.GetGrain<IProductGrain>(CommerceSilo.NewKey("prod"));

        var error = await Assert.ThrowsAsync<RuleViolationException>(() => product.SaveAsync(CommerceSilo.Draft() with { Slug = slug }));

        Assert.Equal(["slug"], error.Details.Keys);
    }

    [Theory]
    [InlineData(100_000_001)]
    [InlineData(-1)]
    public async Task Save_price_out_of_range_is_refused(long price)
    {
        var product = silo.Grains.GetGrain<IProductGrain>(CommerceSilo.NewKey("prod"));

        var error = await Assert.ThrowsAsync<RuleViolationException>(() => product.SaveAsync(CommerceSilo.Draft(price)));

        Assert.Equal(["price"], error.Details.Keys);
    }

    [Fact]
    public async Task Archive_marks_the_product_inactive()
    {
        var id = await silo.NewProductAsync();
        var product = silo.Grains.GetGrain<IProductGrain>(id);
        silo.Clock.Advance(TimeSpan.FromMinutes(1));

        var archived = await product.ArchiveAsync();

        Assert.False(archived.Active);
        Assert.Equal(silo.Now, archived.UpdatedAt);
        Assert.False((await product.GetAsync())!.Active);
    }

    [Fact]
    public async Task Archive_unknown_product_is_404()
    {
        var product = silo.Grains.GetGrain<IProductGrain>(CommerceSilo.NewKey("prod"));

        var error = await Assert.ThrowsAsync<RuleViolationException>(() => product.ArchiveAsync());

        Assert.Equal("product-not-found", error.Code);
        Assert.Equal(404, error.Status);
    }

    [Fact]
    public async Task Save_with_stock_limit_configures_the_inventory()
    {
        var id = CommerceSilo.NewKey("prod");

        await silo.Grains.GetGrain<IProductGrain>(id).SaveAsync(CommerceSilo.Draft(stockLimit: 7));

        var stock = await silo.Grains.GetGrain<IInventoryGrain>(id).GetAsync();
        Assert.Equal(new StockView(id, 7, 0, 0, 7), stock);
    }

    [Fact]
    public async Task Save_without_stock_limit_leaves_stock_unlimited()
    {
        var id = await silo.NewProductAsync();

        var stock = await silo.Grains.GetGrain<IInventoryGrain>(id).GetAsync();

        Assert.Null(stock.Limit);
        Assert.Equal(int.MaxValue, stock.Available);
    }
}
