using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Courier.Bench.Harness;

/// <summary>
/// The payment provider's side of a bench: a Stripe-shaped <c>checkout.session.completed</c> event,
/// signed as Stripe signs webhooks, posted to <c>/webhooks/stripe</c>. The web node must run with
/// <c>Stripe__WebhookSecret</c> = <see cref="Secret"/>.
/// </summary>
internal static class PaymentWebhooks
{
    public const string Secret = "whsec_courier_bench";

    private static int reportedErrors;

    /// <summary>The session id at the end of a checkout's redirect URL (<c>/pay/{sessionId}</c>).</summary>
    public static string SessionOf(string redirectUrl) => redirectUrl[(redirectUrl.LastIndexOf('/') + 1)..];

    /// <summary>Posts the "paid" event for the order; true when it was acknowledged. The first few failures are printed.</summary>
    public static async Task<bool> SendPaidAsync(HttpClient http, string orderId, string sessionId, long amount, int number)
    {
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var json = new JsonObject
        {
            ["id"] = $"evt_bench_{number}",
            ["object"] = "event",
            ["api_version"] = "2026-10-28.endive",
            ["created"] = created,
            ["livemode"] = false,
            ["type"] = "checkout.session.completed",
            ["data"] = new JsonObject
            {
                ["object"] = new JsonObject
                {
                    ["id"] = sessionId,
                    ["object"] = "checkout.session",
                    ["url"] = null,
                    ["created"] = created,
                    ["livemode"] = false,
                    ["expires_at"] = created + 1_800,
                    ["client_reference_id"] = orderId,
                    ["metadata"] = new JsonObject { ["order_id"] = orderId },
                    ["payment_status"] = "paid",
                    ["status"] = "complete",
                    ["mode"] = "payment",
                    ["payment_intent"] = $"pi_bench_{number}",
                    ["amount_total"] = amount,
                    ["currency"] = "usd",
                },
            },
        }.ToJsonString();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/webhooks/stripe", UriKind.Relative))
        {
            Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        request.Headers.Add("Stripe-Signature", Sign(json, created));
        try
        {
            using var response = await http.SendAsync(request);
            if (response.IsSuccessStatusCode) return true;
            if (Interlocked.Increment(ref reportedErrors) <= 3)
                Console.Error.WriteLine($"  webhook {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        catch (HttpRequestException ex)
        {
            if (Interlocked.Increment(ref reportedErrors) <= 3) Console.Error.WriteLine($"  webhook failed: {ex.Message}");
        }
        return false;
    }

    private static string Sign(string payload, long timestamp)
    {
        var t = timestamp.ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes($"{t}.{payload}"));
        return $"t={t},v1={Convert.ToHexStringLower(mac)}";
    }
}
