namespace Courier.EndToEnd.Tests.Browsing;

/// <summary>
/// Browser tests share one Chromium and one running store (its start-up is the slow part); each
/// test opens its own visit, so tests stay independent. Classes in the collection run one at a time.
/// </summary>
[CollectionDefinition(Name)]
public sealed class StorefrontCollection : ICollectionFixture<ChromiumBrowser>, ICollectionFixture<StoreServer>
{
    public const string Name = "Storefront in Chromium";
}
