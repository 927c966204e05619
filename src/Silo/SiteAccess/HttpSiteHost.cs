using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Courier.Abstractions.SiteAccess;
using Courier.Silo.Hosting;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Stripe;

namespace Courier.Silo.SiteAccess;

/// <summary>
/// The seller's own hosting, reached through one endpoint (<c>Deliveries:SiteAccess:Http:Url</c>):
/// every call is a JSON POST with an <c>action</c> (provision, rotate, remove), a stable
/// <c>requestId</c> (also sent as <c>Idempotency-Key</c>) and a <c>Courier-Signature</c> header in
/// Stripe's scheme: <c>t={unix seconds},v1={hex HMAC-SHA256(secret, "{t}.{raw body}")}</c>.
/// Provision and rotate expect <c>{account, username, password, loginUrl}</c> back. The client
/// (<see cref="SiteAccessServiceCollectionExtensions.AddSiteHostHttpClient"/>) limits each attempt to
/// <c>Deliveries:SiteAccess:Http:Timeout</c> and retries transient failures of the idempotent calls. Every kind of
/// failure becomes an error that says what happened — never a password, and never the seller's
/// internal address, because the delivery's last error is shown to the customer.
/// </summary>
internal sealed class HttpSiteHost(IHttpClientFactory clients, IOptions<SiteAccessOptions> options, TimeProvider time) : ISiteHost
{
    public const string HttpClientName = "Courier.SiteAccess.Http";
    public const string SignatureHeader = "Courier-Signature";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public string Name => SiteHostNames.Http;

    public Task<SiteHostAnswer> CreateAsync(SiteAccountOrder order, CancellationToken cancellationToken) =>
        CallForCredentialsAsync(new SiteHostRequest("provision", $"{order.DeliveryId}:provision", order.DeliveryId, order.OrderId,
            order.ProductId, order.ProductSlug, order.CustomerEmail, Account: null), fallbackAccount: order.DeliveryId, cancellationToken);

    public Task<SiteHostAnswer> RotateAsync(SiteAccountReference account, int rotation, CancellationToken cancellationToken) =>
        CallForCredentialsAsync(new SiteHostRequest("rotate", $"{account.DeliveryId}:rotate:{rotation}", account.DeliveryId, account.OrderId,
            account.ProductId, null, null, account.Account), fallbackAccount: account.Account, cancellationToken);

    public async Task RemoveAsync(SiteAccountReference account, CancellationToken cancellationToken)
    {
        var request = new SiteHostRequest("remove", $"{account.DeliveryId}:remove", account.DeliveryId, account.OrderId, account.ProductId, null, null, account.Account);
        var (status, _, error) = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        // 404: the account is already gone, which is what a removal wants.
        if (error is not null && status != HttpStatusCode.NotFound) throw new SiteHostException($"Removing site account {account.Account} failed: {error}");
    }

    private async Task<SiteHostAnswer> CallForCredentialsAsync(SiteHostRequest request, string fallbackAccount, CancellationToken cancellationToken)
    {
        var (_, body, error) = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (error is not null) return SiteHostAnswer.Failed(error);

        SiteHostReply? reply;
        try
        {
            reply = JsonSerializer.Deserialize<SiteHostReply>(body!, Json);
        }
        catch (JsonException)
        {
            return SiteHostAnswer.Failed($"The hosting service's answer to {request.Action} was not the expected JSON object {{account, username, password, loginUrl}}.");
        }
        var missing = new List<string>();
        if (string.IsNullOrWhiteSpace(reply?.Username)) missing.Add("username");
        if (string.IsNullOrEmpty(reply?.Password)) missing.Add("password");
        if (string.IsNullOrWhiteSpace(reply?.LoginUrl)) missing.Add("loginUrl");
        if (missing.Count > 0)
            return SiteHostAnswer.Failed($"The hosting service's answer to {request.Action} lacks {string.Join(", ", missing)}.");
        if (!Uri.TryCreate(reply!.LoginUrl, UriKind.Absolute, out var loginUrl) || (loginUrl.Scheme != Uri.UriSchemeHttps && loginUrl.Scheme != Uri.UriSchemeHttp))
            return SiteHostAnswer.Failed($"The hosting service's answer to {request.Action} has a loginUrl that is not an absolute http(s) address.");
        var account = string.IsNullOrWhiteSpace(reply.Account) ? fallbackAccount : reply.Account.Trim();
        return SiteHostAnswer.Created(account, loginUrl.AbsoluteUri, new SiteCredentials(reply.Username!.Trim(), reply.Password!));
    }

    /// <summary>Sends one signed request; returns the answer's body on 2xx, otherwise an error for people.</summary>
    private async Task<(HttpStatusCode? Status, string? Body, string? Error)> SendAsync(SiteHostRequest request, CancellationToken cancellationToken)
    {
        var settings = options.Value.Http;
        if (settings.Url is null)
            return (null, null, "Hosted-site provisioning over HTTP is not configured; set Deliveries:SiteAccess:Http:Url and Secret.");

        var payload = JsonSerializer.Serialize(request, Json);
        using var message = new HttpRequestMessage(HttpMethod.Post, settings.Url)
        {
            Content = new StringContent(payload, Encoding.UTF8, "application/json"),
        };
        message.Headers.Add(SignatureHeader, EventUtility.GenerateSignatureHeader(payload, settings.Secret, time.GetUtcNow().ToUnixTimeSeconds()));
        message.Headers.Add("Idempotency-Key", request.RequestId);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        // A transient failure may be retried in-process (OutgoingHttp) only where a repeat is harmless:
        // the contract makes provision idempotent by requestId, and remove takes 404 as done. A rotation
        // is not: a repeat rotates again, and a slow first attempt landing after the retry would leave
        // the customer holding a password that no longer works. Its failure goes back to the customer.
        message.Options.Set(OutgoingHttp.Idempotent, request.Action != "rotate");

        try
        {
            using var response = await clients.CreateClient(HttpClientName).SendAsync(message, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                return (response.StatusCode, null, $"The hosting service answered {request.Action} with HTTP {(int)response.StatusCode} ({response.ReasonPhrase}).");
            return (response.StatusCode, body, null);
        }
        catch (TimeoutRejectedException ex)
        {
            return (null, null, $"The hosting service did not answer {request.Action} within {ex.Timeout.TotalSeconds:0.#} s.");
        }
        catch (BrokenCircuitException)
        {
            return (null, null, $"The hosting service failed too many requests just now; Courier pauses calls to it for a few seconds, so {request.Action} was not sent.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, null, $"The hosting service did not finish answering {request.Action} within {OutgoingHttp.TotalTimeout(settings.Timeout).TotalSeconds:0.#} s.");
        }
        catch (HttpRequestException ex)
        {
            return (null, null, $"The hosting service could not be reached for {request.Action} ({Describe(ex.HttpRequestError)}).");
        }
    }

    private static string Describe(HttpRequestError error) => error switch
    {
        HttpRequestError.NameResolutionError => "its host name does not resolve",
        HttpRequestError.ConnectionError => "the connection was refused or dropped",
        HttpRequestError.SecureConnectionError => "the TLS handshake failed",
        HttpRequestError.ResponseEnded or HttpRequestError.InvalidResponse => "the answer was cut off or malformed",
        _ => "a network error",
    };

    private sealed record SiteHostRequest(
        string Action, string RequestId, string DeliveryId, string OrderId, string ProductId, string? ProductSlug, string? CustomerEmail, string? Account);

    private sealed record SiteHostReply(string? Account, string? Username, string? Password, string? LoginUrl)
    {
        public override string ToString() => $"SiteHostReply {{ Account = {Account}, Username = {Username}, LoginUrl = {LoginUrl} }}";
    }
}
