using Courier.Abstractions.Catalog;

namespace Courier.WebFront.Pages.Shared;

/// <summary>What the storefront calls each delivery kind, its icon, and its value in catalog URLs (?kind=download).</summary>
internal static class ProductKinds
{
    public static IReadOnlyList<DeliveryKind> All { get; } = Enum.GetValues<DeliveryKind>();

    public static string Label(DeliveryKind kind) => kind switch
    {
        DeliveryKind.Download => "Download",
        DeliveryKind.LicenseKey => "Licence key",
        DeliveryKind.SiteAccess => "Hosted site",
        _ => kind.ToString(),
    };

    public static string PluralLabel(DeliveryKind kind) => kind switch
    {
        DeliveryKind.Download => "Downloads",
        DeliveryKind.LicenseKey => "Licences",
        DeliveryKind.SiteAccess => "Hosted sites",
        _ => kind.ToString(),
    };

    public static string Icon(DeliveryKind kind) => kind switch
    {
        DeliveryKind.Download => "download",
        DeliveryKind.LicenseKey => "key-round",
        DeliveryKind.SiteAccess => "globe",
        _ => "package",
    };

    /// <summary>What the customer receives, in one line, for the product page.</summary>
    public static string Delivery(DeliveryKind kind) => kind switch
    {
        DeliveryKind.Download => "A signed download link in your account and by e-mail",
        DeliveryKind.LicenseKey => "Your own licence key, shown in your account and e-mailed",
        DeliveryKind.SiteAccess => "A hosted site provisioned for you, with its login in your account",
        _ => "Delivered to your account",
    };

    public static string QueryValue(DeliveryKind kind) => char.ToLowerInvariant(kind.ToString()[0]) + kind.ToString()[1..];

    public static DeliveryKind? Parse(string? value) =>
        value is { Length: > 0 } && Enum.TryParse<DeliveryKind>(value, ignoreCase: true, out var kind) && Enum.IsDefined(kind) ? kind : null;
}
