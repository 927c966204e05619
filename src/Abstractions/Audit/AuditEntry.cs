using Courier.Abstractions.Runtime;

namespace Courier.Abstractions.Audit;

/// <summary>
/// One row of the staff audit log, written by the grain that carried out the action, in the same
/// transaction as the action itself (so an action is never done without its audit entry).
/// </summary>
/// <param name="ActorId">An account id, or "system:…" for the CLI and start-up seeding.</param>
/// <param name="Action">A stable dotted name, e.g. "account.created".</param>
/// <param name="Target">What the action was done to, e.g. "account:{id}".</param>
public sealed record AuditEntry(DateTimeOffset At, string ActorId, string Action, string Target, IReadOnlyDictionary<string, string> Details) : ReadModelRow
{
    public override string RowKey => $"{Target}|{Action}|{At:O}";
}

public static class AuditActions
{
    public const string AccountCreated = "account.created";
    public const string AccountRenamed = "account.renamed";
    public const string NotificationPreferencesChanged = "account.notification-preferences-changed";
    public const string SignedInFromNewDevice = "account.new-device-sign-in";
    public const string SessionRevoked = "account.session-revoked";
    public const string OtherSessionsRevoked = "account.other-sessions-revoked";
    public const string PasswordChanged = "account.password-changed";
    public const string PasswordResetRequested = "account.password-reset-requested";
    public const string PasswordReset = "account.password-reset";
    public const string DataExported = "account.data-exported";
    public const string AccountDeleted = "account.deleted";
    public const string ProductSaved = "product.saved";
    public const string ProductArchived = "product.archived";
    public const string CouponSaved = "coupon.saved";
    public const string DownloadLinkRenewed = "delivery.link-renewed";
    public const string DeliveryEmailResent = "delivery.email-resent";
    public const string DownloadsGranted = "delivery.downloads-granted";
    public const string LicenseKeysAdded = "license-keys.added";
    public const string SiteCredentialsRevealed = "site-access.credentials-revealed";
    public const string SiteCredentialsRotated = "site-access.credentials-rotated";
}
