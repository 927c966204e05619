using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Courier.TestSupport.SiteAccess;

/// <summary>
/// A seller's hosting endpoint on 127.0.0.1, written from the contract in docs/deliveries.md and not
/// from Courier's code: it checks <c>Courier-Signature</c> (HMAC-SHA256 over "{t}.{body}" with the
/// shared secret, within 5 minutes of <see cref="Now"/>) and refuses unsigned or tampered requests
/// with 401, keeps accounts (provision is idempotent by request id), rotates and removes them, and
/// records every request. <see cref="ScriptNext"/> makes the next requests fail in a chosen way.
/// </summary>
public sealed class FakeSellerHosting : IAsyncDisposable
{
    public const string Secret = "seller-shared-secret-for-tests-0123456789abcdef";

    private LoopbackHttpServer server = null!;
    private readonly ConcurrentQueue<SellerRequest> requests = new();
    private readonly ConcurrentQueue<SellerReply> scripted = new();
    private readonly ConcurrentDictionary<string, SellerAccount> accounts = new();
    private readonly ConcurrentDictionary<string, string> provisionedByRequest = new();
    private int nextAccount;

    /// <summary>The hosting endpoint Courier's Http provider is pointed at.</summary>
    public Uri Url => new(server.Root, "courier/accounts");

    /// <summary>The clock the signature's timestamp is checked against (set it to the test's clock).</summary>
    public Func<DateTimeOffset> Now { get; set; } = () => DateTimeOffset.UtcNow;

    public IReadOnlyList<SellerRequest> Requests => [.. requests];

    public IReadOnlyDictionary<string, SellerAccount> Accounts => accounts;

    public static async Task<FakeSellerHosting> StartAsync()
    {
        var fake = new FakeSellerHosting();
        fake.server = await LoopbackHttpServer.StartAsync(fake.HandleAsync);
        return fake;
    }

    /// <summary>The next <paramref name="times"/> requests get <paramref name="reply"/> instead of the normal answer.</summary>
    public void ScriptNext(SellerReply reply, int times = 1)
    {
        for (var i = 0; i < times; i++) scripted.Enqueue(reply);
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var signed = SignatureIsValid(context.Request.Headers["Courier-Signature"].ToString(), body);
        var json = JsonNode.Parse(body)!.AsObject();
        var request = new SellerRequest(
            (string)json["action"]!, (string)json["requestId"]!, (string)json["deliveryId"]!, (string?)json["account"],
            (string?)json["customerEmail"], context.Request.Headers["Idempotency-Key"].ToString(), signed, body);
        requests.Enqueue(request);

        if (!signed)
        {
            await WriteAsync(context, 401, """{"error":"bad signature"}""");
            return;
        }
        if (scripted.TryDequeue(out var reply))
        {
            if (reply.Delay is { } delay) await Task.Delay(delay, context.RequestAborted);
            await WriteAsync(context, reply.Status, reply.Body);
            return;
        }
        switch (request.Action)
        {
            case "provision":
                var id = provisionedByRequest.GetOrAdd(request.RequestId, _ =>
                {
                    var account = $"acct_{Interlocked.Increment(ref nextAccount)}";
                    accounts[account] = new SellerAccount(account, request.CustomerEmail!, NewPassword());
                    return account;
                });
                await WriteAccountAsync(context, accounts[id]);
                break;
            case "rotate" when request.Account is { } existing && accounts.TryGetValue(existing, out var current):
                var rotated = current with { Password = NewPassword() };
                accounts[existing] = rotated;
                await WriteAccountAsync(context, rotated);
                break;
            case "remove" when request.Account is { } gone && accounts.TryRemove(gone, out _):
                context.Response.StatusCode = 204;
                break;
            default:
                await WriteAsync(context, 404, """{"error":"no such account"}""");
                break;
        }
    }

    private bool SignatureIsValid(string header, string body)
    {
        var parts = header.Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        if (!parts.TryGetValue("t", out var t) || !parts.TryGetValue("v1", out var v1)) return false;
        if (!long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return false;
        if ((Now() - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > TimeSpan.FromMinutes(5)) return false;
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes($"{t}.{body}"));
        return CryptographicOperations.FixedTimeEquals(expected, Convert.FromHexString(v1.Length % 2 == 0 ? v1 : "0"));
    }

    private static Task WriteAccountAsync(HttpContext context, SellerAccount account) =>
        WriteAsync(context, 200, JsonSerializer.Serialize(new
        {
            account = account.Id, username = account.Username, password = account.Password, loginUrl = $"https://{account.Id}.hosting.example/admin",
        }));

    private static async Task WriteAsync(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body);
    }

    private static string NewPassword() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    public ValueTask DisposeAsync() => server.DisposeAsync();
}

public sealed record SellerRequest(string Action, string RequestId, string DeliveryId, string? Account, string? CustomerEmail, string IdempotencyKey, bool SignatureValid, string Body);

public sealed record SellerAccount(string Id, string Username, string Password);

/// <summary>A scripted answer: a status with a raw body, after an optional delay (to run into Courier's timeout).</summary>
public sealed record SellerReply(int Status, string Body, TimeSpan? Delay = null);
