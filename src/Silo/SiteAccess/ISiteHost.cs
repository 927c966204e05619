namespace Courier.Silo.SiteAccess;

/// <summary>
/// Where hosted-site accounts live: Courier's own built-in host, or the seller's hosting reached
/// over HTTP. Create and rotate report failures as answers (they become retries or a message to
/// the customer); remove throws, so the outbox repeats it until the account is gone.
/// </summary>
internal interface ISiteHost
{
    /// <summary>The name recorded with each account (<see cref="Courier.Abstractions.SiteAccess.SiteHostNames"/>), so rotation and removal reach the same host.</summary>
    string Name { get; }

    Task<SiteHostAnswer> CreateAsync(SiteAccountOrder order, CancellationToken cancellationToken);

    /// <summary>Replaces the account's password; <paramref name="rotation"/> numbers the request, so a repeat of the same one is recognisable.</summary>
    Task<SiteHostAnswer> RotateAsync(SiteAccountReference account, int rotation, CancellationToken cancellationToken);

    Task RemoveAsync(SiteAccountReference account, CancellationToken cancellationToken);
}

/// <summary>What a host needs to create the account of one delivery.</summary>
/// <param name="SiteFiles">The product's file (a zip of the site) relative to the file store, if it has one.</param>
internal sealed record SiteAccountOrder(
    string DeliveryId, string OrderId, string ProductId, string ProductSlug, string ProductTitle, string? SiteFiles, string CustomerEmail);

/// <summary>An existing account: the host's name for it and the username it signs in with.</summary>
internal sealed record SiteAccountReference(string DeliveryId, string OrderId, string ProductId, string Account, string? Username);

/// <summary>A host's answer: the account with its credentials and sign-in address, or an error that says what went wrong.</summary>
internal sealed record SiteHostAnswer(string? Account, string? LoginUrl, SiteCredentials? Credentials, string? Error)
{
    public static SiteHostAnswer Created(string account, string loginUrl, SiteCredentials credentials) => new(account, loginUrl, credentials, null);

    public static SiteHostAnswer Failed(string error) => new(null, null, null, error);
}

/// <summary>The host could not carry out a removal; the outbox tries again later.</summary>
internal sealed class SiteHostException : Exception
{
    public SiteHostException() { }
    public SiteHostException(string message) : base(message) { }
    public SiteHostException(string message, Exception inner) : base(message, inner) { }
}
