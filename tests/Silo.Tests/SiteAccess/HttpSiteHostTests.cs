using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Courier.Silo.Hosting;
using Courier.Silo.SiteAccess;
using Courier.TestSupport.SiteAccess;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Courier.Silo.Tests.SiteAccess;

/// <summary>The HTTP site host against a seller endpoint that checks the documented signature itself.</summary>
public sealed class HttpSiteHostTests : IAsyncLifetime
{
    private static readonly SiteAccountOrder Order = new("ord_http:1", "ord_http", "prod_hosted", "aurora-saas-hosted", "Aurora Hosted", null, "ada@example.com");
    private readonly List<ServiceProvider> providers = [];
    private FakeSellerHosting seller = null!;

    public async Task InitializeAsync() => seller = await FakeSellerHosting.StartAsync();

    public async Task DisposeAsync()
    {
        await seller.DisposeAsync();
        foreach (var provider in providers) await provider.DisposeAsync();
    }

    /// <summary>The host with the HttpClient the app registers for it (resilience included).</summary>
    private HttpSiteHost Host(Uri? url = null, string secret = FakeSellerHosting.Secret, TimeSpan? timeout = null)
    {
        var options = Options.Create(new SiteAccessOptions
        {
            Provider = SiteAccessProvider.Http,
            Http = new HttpSiteHostOptions { Url = url ?? seller.Url, Secret = secret, Timeout = timeout ?? TimeSpan.FromSeconds(5) },
        });
        var provider = new ServiceCollection().AddSingleton(options).AddSiteHostHttpClient().BuildServiceProvider();
        providers.Add(provider);
        return new(provider.GetRequiredService<IHttpClientFactory>(), options, TimeProvider.System);
    }

    [Fact]
    public async Task Create_sends_a_signed_idempotent_request_and_returns_the_hosts_sign_in()
    {
        var first = await Host().CreateAsync(Order, CancellationToken.None);
        var repeat = await Host().CreateAsync(Order, CancellationToken.None);

        Assert.Null(first.Error);
        var account = Assert.Single(seller.Accounts.Values);
        Assert.Equal(account.Id, first.Account);
        Assert.Equal(new SiteCredentials("ada@example.com", account.Password), first.Credentials);
        Assert.Equal($"https://{account.Id}.hosting.example/admin", first.LoginUrl);
        Assert.Equal(first.Account, repeat.Account);
        Assert.All(seller.Requests, r => Assert.True(r.SignatureValid));
        Assert.All(seller.Requests, r => Assert.Equal("ord_http:1:provision", r.IdempotencyKey));
        var body = JsonDocument.Parse(seller.Requests[0].Body).RootElement;
        Assert.Equal("provision", body.GetProperty("action").GetString());
        Assert.Equal("ord_http:1:provision", body.GetProperty("requestId").GetString());
        Assert.Equal("ord_http", body.GetProperty("orderId").GetString());
        Assert.Equal("prod_hosted", body.GetProperty("productId").GetString());
        Assert.Equal("aurora-saas-hosted", body.GetProperty("productSlug").GetString());
    }

    public static TheoryData<int, string, string> FailedAnswers => new()
    {
        { 503, """{"error":"maintenance"}""", "answered provision with HTTP 503" },
        { 200, "<html>not json</html>", "was not the expected JSON object" },
        { 200, """{"account":"a1","username":"ada","loginUrl":"https://a1.example/admin"}""", "lacks password" },
        { 200, """{"account":"a1","loginUrl":"https://a1.example/admin"}""", "lacks username, password" },
        { 200, """{"account":"a1","username":"ada","password":"pw","loginUrl":"/admin"}""", "loginUrl that is not an absolute http(s) address" },
    };

    [Theory]
    [MemberData(nameof(FailedAnswers))]
    public async Task A_bad_answer_becomes_an_error_that_says_what_was_wrong(int status, string body, string expected)
    {
        seller.ScriptNext(new SellerReply(status, body), times: OutgoingHttp.MaxRetries + 1);

        var answer = await Host().CreateAsync(Order, CancellationToken.None);

        Assert.Null(answer.Credentials);
        Assert.Contains(expected, answer.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_slower_than_the_timeout_is_an_error_naming_the_timeout_after_one_attempt()
    {
        seller.ScriptNext(new SellerReply(200, "{}", Delay: TimeSpan.FromSeconds(10)), times: 3);
        var started = Stopwatch.StartNew();

        var answer = await Host(timeout: TimeSpan.FromSeconds(1)).CreateAsync(Order, CancellationToken.None);

        Assert.Equal("The hosting service did not answer provision within 1 s.", answer.Error);
        Assert.InRange(started.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(3));
        Assert.Single(seller.Requests);
    }

    [Fact]
    public async Task A_transient_failure_is_retried_with_the_same_request_and_the_retry_succeeds()
    {
        seller.ScriptNext(new SellerReply(503, """{"error":"capacity"}"""));

        var answer = await Host().CreateAsync(Order, CancellationToken.None);

        Assert.Null(answer.Error);
        Assert.Equal(seller.Accounts.Keys.Single(), answer.Account);
        Assert.Equal(2, seller.Requests.Count);
        Assert.All(seller.Requests, r => Assert.Equal("ord_http:1:provision", r.IdempotencyKey));
        Assert.All(seller.Requests, r => Assert.True(r.SignatureValid));
    }

    [Fact]
    public async Task A_host_failing_on_every_retry_is_an_error_after_three_attempts()
    {
        seller.ScriptNext(new SellerReply(503, """{"error":"capacity"}"""), times: 10);

        var answer = await Host().CreateAsync(Order, CancellationToken.None);

        Assert.Equal("The hosting service answered provision with HTTP 503 (Service Unavailable).", answer.Error);
        Assert.Equal(OutgoingHttp.MaxRetries + 1, seller.Requests.Count);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(409)]
    [InlineData(422)]
    public async Task A_permanent_client_error_is_not_retried(int status)
    {
        seller.ScriptNext(new SellerReply(status, """{"error":"no"}"""), times: 3);

        var answer = await Host().CreateAsync(Order, CancellationToken.None);

        Assert.Contains($"answered provision with HTTP {status}", answer.Error, StringComparison.Ordinal);
        Assert.Single(seller.Requests);
    }

    [Fact]
    public async Task A_rotation_is_never_repeated_because_a_repeat_would_rotate_again()
    {
        var created = await Host().CreateAsync(Order, CancellationToken.None);
        var reference = new SiteAccountReference(Order.DeliveryId, Order.OrderId, Order.ProductId, created.Account!, created.Credentials!.Username);
        seller.ScriptNext(new SellerReply(503, """{"error":"capacity"}"""), times: 3);

        var rotated = await Host().RotateAsync(reference, rotation: 1, CancellationToken.None);

        Assert.Equal("The hosting service answered rotate with HTTP 503 (Service Unavailable).", rotated.Error);
        Assert.Single(seller.Requests, r => r.Action == "rotate");
        Assert.Equal(created.Credentials.Password, seller.Accounts.Values.Single().Password);
    }

    [Fact]
    public async Task An_unreachable_host_is_an_error_that_does_not_reveal_its_address()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var answer = await Host(new Uri($"http://127.0.0.1:{closedPort}/accounts")).CreateAsync(Order, CancellationToken.None);

        Assert.StartsWith("The hosting service could not be reached for provision", answer.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", answer.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(closedPort.ToString(System.Globalization.CultureInfo.InvariantCulture), answer.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_signed_with_another_secret_is_refused_by_the_seller()
    {
        var answer = await Host(secret: "not-the-secret-the-seller-knows-0123456789").CreateAsync(Order, CancellationToken.None);

        Assert.Contains("HTTP 401", answer.Error, StringComparison.Ordinal);
        Assert.False(Assert.Single(seller.Requests).SignatureValid);
        Assert.Empty(seller.Accounts);
    }

    [Fact]
    public async Task Rotate_gets_a_new_password_for_the_same_account_and_remove_deletes_it_once()
    {
        var created = await Host().CreateAsync(Order, CancellationToken.None);
        var reference = new SiteAccountReference(Order.DeliveryId, Order.OrderId, Order.ProductId, created.Account!, created.Credentials!.Username);

        var rotated = await Host().RotateAsync(reference, rotation: 1, CancellationToken.None);
        await Host().RemoveAsync(reference, CancellationToken.None);
        await Host().RemoveAsync(reference, CancellationToken.None); // already gone: 404 counts as done

        Assert.Equal(created.Account, rotated.Account);
        Assert.NotEqual(created.Credentials.Password, rotated.Credentials!.Password);
        Assert.Empty(seller.Accounts);
        Assert.Equal(["provision", "rotate", "remove", "remove"], seller.Requests.Select(r => r.Action));
        Assert.Equal("ord_http:1:rotate:1", seller.Requests[1].IdempotencyKey);
        Assert.Equal(created.Account, seller.Requests[2].Account);
    }

    [Fact]
    public async Task A_failed_removal_throws_so_the_outbox_tries_again()
    {
        var reference = new SiteAccountReference(Order.DeliveryId, Order.OrderId, Order.ProductId, "acct_1", null);
        seller.ScriptNext(new SellerReply(500, """{"error":"database down"}"""), times: OutgoingHttp.MaxRetries + 1);

        var failure = await Assert.ThrowsAsync<SiteHostException>(() => Host().RemoveAsync(reference, CancellationToken.None));

        Assert.Contains("HTTP 500", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Http_provider_without_url_or_with_a_short_secret_fails_validation_with_what_to_set()
    {
        var result = new SiteAccessOptionsValidator().Validate(null, new SiteAccessOptions
        {
            Provider = SiteAccessProvider.Http,
            Http = new HttpSiteHostOptions { Url = null, Secret = "short" },
        });
        var builtin = new SiteAccessOptionsValidator().Validate(null, new SiteAccessOptions());

        Assert.True(result.Failed);
        Assert.Contains("Deliveries:SiteAccess:Http:Url must be the absolute http(s) address", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Deliveries:SiteAccess:Http:Secret must be a shared secret of at least 32 characters", result.FailureMessage, StringComparison.Ordinal);
        Assert.True(builtin.Succeeded);
    }
}
