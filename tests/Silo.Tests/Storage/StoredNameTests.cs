using System.Reflection;
using Courier.Abstractions.Runtime;
using Courier.Silo.Grains;

namespace Courier.Silo.Tests.Storage;

public sealed class StoredNameTests
{
    private static readonly Assembly[] Product =
    [
        typeof(IJournalEntry).Assembly,                       // Courier.Abstractions
        typeof(Courier.Grains.GrainsAssembly).Assembly,       // Courier.Grains
        typeof(Courier.Silo.Hosting.SiloHost).Assembly,       // Courier.Silo
    ];

    private static IEnumerable<Type> Stored<TMarker>() =>
        Product.SelectMany(a => a.GetTypes()).Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(TMarker).IsAssignableFrom(t));

    // The kinds rows in existing shops' databases carry. A class may be renamed or moved; these may not change.
    private static readonly string[] JournalKindsInExistingDatabases =
    [
        "AccountDeleted", "AccountDisplayNameChanged", "AccountPasswordChanged", "AccountPasswordHashUpgraded", "AccountPasswordResetRequested",
        "AccountRegistered", "AccountSessionEnded", "AccountSessionStarted", "DeliveryAssignedToTechnician",
        "DeliveryDelayed", "DeliveryDownloaded", "DeliveryEmailResent", "DeliveryNudged", "DeliveryStepped",
        "DownloadLinkRenewed", "DownloadsGranted", "LicenseKeyAllocated", "LicenseKeyDisabled", "LicenseKeysAdded",
        "NotificationPreferencesChanged", "OrderNoted", "OrderStepped", "SiteAccessRevoked", "SiteAccountCreated",
        "SiteCredentialsRotated", "StockCommitted", "StockReleased", "StockReserved",
    ];

    private static readonly string[] OutboxTypesInExistingDatabases =
    [
        "Courier.Grains.Accounts.EraseAccountTraces", "Courier.Grains.Accounts.SendPasswordResetEmail", "Courier.Grains.Deliveries.EraseDeliveryCustomer", "Courier.Grains.Carts.ClearMergedCart", "Courier.Grains.Deliveries.DisableLicenseKey",
        "Courier.Grains.Deliveries.ProvisionDelivery", "Courier.Grains.Deliveries.ReportDeliveryProgress", "Courier.Grains.Deliveries.RevokeDelivery",
        "Courier.Grains.Deliveries.SendDeliveryEmail", "Courier.Grains.Deliveries.StartDelivery",
        "Courier.Grains.Mail.SendEmail", "Courier.Grains.Orders.EmptyCheckedOutCart", "Courier.Grains.Orders.ReconcilePayment",
        "Courier.Grains.Payments.ApplyPaymentEvent", "Courier.Grains.SiteAccess.RemoveSiteAccount",
        "Courier.Grains.SiteAccess.RevokeSiteAccess", "Courier.Silo.Adapters.SimulatedPayments.DeliverSimulatedWebhook",
    ];

    private static readonly string[] GrainTypesInExistingDatabases =
    [
        "Courier.Grains.Accounts.AccountGrain", "Courier.Grains.Carts.CartGrain", "Courier.Grains.Catalog.ProductGrain",
        "Courier.Grains.Coupons.CouponGrain", "Courier.Grains.Deliveries.DeliveryGrain", "Courier.Grains.Deliveries.LicenseKeyPoolGrain",
        "Courier.Grains.Inventory.InventoryGrain", "Courier.Grains.Orders.OrderGrain", "Courier.Grains.Payments.PaymentInboxGrain",
        "Courier.Grains.SiteAccess.SiteAccessGrain", "Courier.Silo.Adapters.SimulatedPayments.SimulatedPaymentGrain",
    ];

    [Fact]
    public void Grain_classes_keep_the_grain_types_their_state_rows_are_stored_under()
    {
        var grainTypes = Product.SelectMany(a => a.GetTypes()).Where(GrainName.IsGrainClass).Select(GrainName.TypeOf).Order(StringComparer.Ordinal);

        Assert.Equal(GrainTypesInExistingDatabases.Order(StringComparer.Ordinal), grainTypes);
    }

    [Fact]
    public void Every_journal_entry_and_outbox_message_has_a_stable_name_of_its_own()
    {
        var types = Stored<IJournalEntry>().Concat(Stored<IOutboxMessage>()).ToList();

        var names = types.Select(StoredName.Of).ToList(); // throws, naming the type, when one lacks [Alias]

        Assert.NotEmpty(types);
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Journal_entries_keep_the_kinds_existing_timelines_are_stored_under()
    {
        var kinds = Stored<IJournalEntry>().Select(StoredName.Of).Order(StringComparer.Ordinal);

        Assert.Equal(JournalKindsInExistingDatabases.Order(StringComparer.Ordinal), kinds);
    }

    [Fact]
    public void Outbox_messages_keep_the_names_their_pending_rows_are_stored_under()
    {
        var names = Stored<IOutboxMessage>().Select(StoredName.Of).Order(StringComparer.Ordinal);

        Assert.Equal(OutboxTypesInExistingDatabases.Order(StringComparer.Ordinal), names);
    }

    [Fact]
    public void A_type_without_a_stable_name_cannot_be_stored_and_the_error_says_what_to_do()
    {
        var error = Assert.Throws<InvalidOperationException>(() => StoredName.Of<Unnamed>());

        Assert.Contains(nameof(Unnamed), error.Message, StringComparison.Ordinal);
        Assert.Contains("[Alias", error.Message, StringComparison.Ordinal);
    }

    private sealed record Unnamed : IJournalEntry;
}
