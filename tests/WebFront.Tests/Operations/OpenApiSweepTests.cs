using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Courier.Abstractions.Accounts;
using Courier.WebFront.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.WebFront.Tests.Operations;

/// <summary>
/// Every operation the OpenAPI document describes, sent what careless and hostile clients send —
/// malformed JSON, wrong types, missing fields, nulls, huge and empty strings, NULs, unicode junk,
/// negative, zero and overflowing numbers, SQL and HTML injection, odd ids, the wrong content type —
/// anonymously, as a customer and as an admin, with and without the anti-forgery header. Nothing
/// may answer 5xx, and every 4xx is problem+json without a stack trace.
/// </summary>
public sealed partial class OpenApiSweepTests(OpenApiSweepTests.Factory factory) : IClassFixture<OpenApiSweepTests.Factory>
{
    public sealed class Factory : CourierWebFactory
    {
        // The sweep fails thousands of sign-ins from one (absent) address on purpose.
        protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
        {
            ["Courier:SignInThrottle:MaxFailures"] = "10000",
        };
    }

    private const string Password = "sweep passphrase 1234";
    private static readonly string Huge = new('x', 200_000);

    public enum Identity
    {
        Anonymous,
        Customer,
        Admin,
    }

    [Theory]
    [InlineData(Identity.Anonymous)]
    [InlineData(Identity.Customer)]
    [InlineData(Identity.Admin)]
    public async Task No_operation_answers_5xx_or_a_bare_error_whatever_it_is_sent(Identity identity)
    {
        using var browser = await SignedInAsync(identity);
        var document = JsonNode.Parse(await browser.Client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)))!;
        var failures = new List<string>();
        var sent = 0;

        foreach (var (path, operations) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in operations!.AsObject())
            {
                if (method == "parameters") continue;
                foreach (var request in Requests(document, path, method.ToUpperInvariant(), operation!))
                {
                    if (identity != Identity.Anonymous) await StaySignedInAsync(browser, identity);
                    using var message = request.ToMessage(browser.XsrfToken);
                    using var response = await browser.Client.SendAsync(message);
                    sent++;
                    if (await WhatIsWrongAsync(response) is { } wrong)
                        failures.Add($"{request.Method} {Shorten(request.Path)} [{request.Case}] → {(int)response.StatusCode}: {wrong}");
                }
            }
        }

        Assert.True(sent > 500, $"only {sent} requests were sent: is the OpenAPI document complete?");
        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} requests were answered badly:\n" + string.Join("\n", failures.Take(60)));
    }

    private async Task<ApiSession> SignedInAsync(Identity identity)
    {
        var browser = await new ApiSession(factory).OpenAsync();
        if (identity == Identity.Anonymous) return browser;
        var email = EmailOf(identity);
        if (identity == Identity.Admin)
            await factory.Services.GetRequiredService<AccountRegistrar>().RegisterAsync(email, "Sweep admin", Password, [Roles.Admin], "system:test");
        else
            (await browser.RegisterAsync(email, Password, "Sweep customer")).Dispose();
        (await browser.LoginAsync(email, Password)).EnsureSuccessStatusCode();
        return browser;
    }

    private static string EmailOf(Identity identity) => $"sweep-{identity.ToString().ToLowerInvariant()}@example.com";

    /// <summary>Signs in again when a swept request (sign-out, "sign out everywhere") ended the session.</summary>
    private static async Task StaySignedInAsync(ApiSession browser, Identity identity)
    {
        using var me = await browser.GetAsync("/api/me");
        if (me.StatusCode == HttpStatusCode.OK) return;
        (await browser.LoginAsync(EmailOf(identity), Password)).EnsureSuccessStatusCode();
    }

    private static async Task<string?> WhatIsWrongAsync(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync();
        if (status >= 500) return Shorten(body);
        if (StackTrace().IsMatch(body)) return "stack trace in the body: " + Shorten(body);
        if (status >= 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            return $"{response.Content.Headers.ContentType?.MediaType ?? "no content type"} instead of problem+json: {Shorten(body)}";
        return null;
    }

    [GeneratedRegex(@"\s+at [\w.`<>]+\.[\w<>]+\(|   at |--- End of stack trace")]
    private static partial Regex StackTrace();

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";

    private sealed record SweptRequest(string Method, string Path, string Case, string? Body, string ContentType = "application/json", bool EchoXsrf = true)
    {
        public HttpRequestMessage ToMessage(string? xsrf)
        {
            var message = new HttpRequestMessage(new HttpMethod(Method), new Uri(Path, UriKind.Relative));
            if (Body is not null) message.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Body)) { Headers = { { "Content-Type", ContentType } } };
            if (EchoXsrf && xsrf is not null) message.Headers.Add("X-XSRF-TOKEN", xsrf);
            return message;
        }
    }

    private static readonly string[] PathValues = ["x", new('a', 4000), "..%2F..%2Fetc%2Fpasswd", "'%20OR%201=1%20--", "%F0%9F%92%A5", "ord_0000000000000000:1"];

    private static readonly (string Case, JsonNode? Value)[] StringValues =
    [
        ("empty string", ""), ("huge string", Huge), ("NUL", "a\u0000b"), ("unicode junk", "💥\u202e\u200b\ufeff"),
        ("SQL injection", "' OR 1=1; DROP TABLE accounts; --"), ("HTML injection", "<script>alert(1)</script><img src=x onerror=alert(1)>"),
    ];

    private static readonly (string Case, JsonNode? Value)[] NumberValues =
    [
        ("negative", -1), ("zero", 0), ("int overflow", 2_147_483_648L), ("long overflow", JsonNode.Parse("9223372036854775808")),
        ("huge exponent", JsonNode.Parse("1e400")), ("fraction", 1.5),
    ];

    private static IEnumerable<SweptRequest> Requests(JsonNode document, string template, string method, JsonNode operation)
    {
        var parameters = operation["parameters"]?.AsArray().Select(p => p!).ToList() ?? [];
        var pathNames = parameters.Where(p => (string?)p["in"] == "path").Select(p => (string)p["name"]!).ToList();
        var queryNames = parameters.Where(p => (string?)p["in"] == "query").Select(p => (string)p["name"]!).ToList();
        var paths = pathNames.Count == 0 ? [template] : PathValues.Select(value => pathNames.Aggregate(template, (path, name) => path.Replace("{" + name + "}", value, StringComparison.Ordinal))).ToList();

        foreach (var path in paths)
            yield return new SweptRequest(method, path, "plain", null);
        foreach (var name in queryNames)
            foreach (var value in new[] { "", Uri.EscapeDataString(new string('q', 5000)), "-1", "99999999999999999999", "abc", "%27%20OR%201%3D1--", "%3Cscript%3E", "%F0%9F%92%A5" })
                yield return new SweptRequest(method, $"{paths[0]}?{name}={value}", $"query {name}", null);

        var bodySchema = operation["requestBody"]?["content"]?["application/json"]?["schema"];
        if (method is "GET" or "HEAD") yield break;
        var path0 = paths[0];
        yield return new SweptRequest(method, path0, "malformed JSON", "{\"a\":");
        yield return new SweptRequest(method, path0, "2 MB malformed", "{\"a\":\"" + new string('x', 2_000_000));
        yield return new SweptRequest(method, path0, "empty object", "{}");
        yield return new SweptRequest(method, path0, "JSON null", "null");
        yield return new SweptRequest(method, path0, "array", "[1,2,3]");
        yield return new SweptRequest(method, path0, "text/plain", "{}", "text/plain");
        yield return new SweptRequest(method, path0, "no anti-forgery header", "{}", EchoXsrf: false);
        if (bodySchema is null) yield break;

        var sample = Sample(document, bodySchema, depth: 0) as JsonObject;
        if (sample is null) yield break;
        yield return new SweptRequest(method, path0, "sample", sample.ToJsonString());
        yield return new SweptRequest(method, path0, "UTF-8 BOM", "\ufeff" + sample.ToJsonString());
        var first = sample.Select(p => p.Key).FirstOrDefault();
        if (first is not null)
            yield return new SweptRequest(method, path0, "duplicate key", sample.ToJsonString().TrimEnd('}') + $",\"{first}\":null}}");
        yield return new SweptRequest(method, path0, "every field null", Mutate(sample, (_, _) => (true, null)).ToJsonString());
        yield return new SweptRequest(method, path0, "every field the wrong type", Mutate(sample, (_, value) => (true, WrongType(value))).ToJsonString());
        foreach (var (name, replacement) in StringValues)
            yield return new SweptRequest(method, path0, name, Mutate(sample, (_, value) => value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? (true, replacement?.DeepClone()) : (false, null)).ToJsonString());
        foreach (var (name, replacement) in NumberValues)
            yield return new SweptRequest(method, path0, name, Mutate(sample, (_, value) => value is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? (true, replacement?.DeepClone()) : (false, null)).ToJsonString());
        yield return new SweptRequest(method, path0, "10,001-entry arrays", Mutate(sample, (_, value) => value is JsonArray ? (true, new JsonArray([.. Enumerable.Range(0, 10_001).Select(i => (JsonNode?)JsonValue.Create($"item-{i}"))])) : (false, null)).ToJsonString());
        foreach (var property in sample.Select(p => p.Key).ToList())
        {
            var without = (JsonObject)sample.DeepClone();
            without.Remove(property);
            yield return new SweptRequest(method, path0, $"without {property}", without.ToJsonString());
        }
    }

    /// <summary>A copy of <paramref name="sample"/> where each property (nested objects too) the rule picks gets the rule's value.</summary>
    private static JsonObject Mutate(JsonObject sample, Func<string, JsonNode?, (bool Replace, JsonNode? Value)> rule)
    {
        var copy = (JsonObject)sample.DeepClone();
        foreach (var name in copy.Select(p => p.Key).ToList())
        {
            var value = copy[name];
            if (value is JsonObject nested) copy[name] = Mutate(nested, rule);
            else if (rule(name, value) is (true, var replacement)) copy[name] = replacement;
        }
        return copy;
    }

    private static JsonNode WrongType(JsonNode? value) => value switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => 12345,
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => "yes",
        JsonValue => "not a number",
        JsonArray => new JsonObject { ["a"] = 1 },
        JsonObject => new JsonArray(1, 2),
        _ => "unexpected",
    };

    /// <summary>A plausible body for <paramref name="schema"/>: each property a value of its type.</summary>
    private static JsonNode? Sample(JsonNode document, JsonNode schema, int depth)
    {
        if (depth > 5) return null;
        if (schema["$ref"] is { } reference)
            return Sample(document, document["components"]!["schemas"]![((string)reference!).Split('/')[^1]]!, depth + 1);
        if (schema["oneOf"] is JsonArray oneOf)
            return oneOf.Select(s => Sample(document, s!, depth + 1)).FirstOrDefault(s => s is not null);
        if (schema["enum"] is JsonArray choices) return choices[0]?.DeepClone();
        var types = schema["type"] switch
        {
            JsonArray many => many.Select(t => (string?)t).ToList(),
            JsonValue one => [(string?)one],
            _ => [],
        };
        if (schema["properties"] is JsonObject properties)
        {
            var result = new JsonObject();
            foreach (var (name, property) in properties)
                result[name] = Sample(document, property!, depth + 1) ?? JsonValue.Create(SampleText(name));
            return result;
        }
        if (types.Contains("integer") || types.Contains("number")) return 1;
        if (types.Contains("boolean")) return true;
        if (types.Contains("array")) return new JsonArray("sample-item");
        if ((string?)schema["format"] == "date-time") return "2030-01-01T00:00:00Z";
        return types.Contains("null") && types.Count == 1 ? null : JsonValue.Create("sample");
    }

    private static string SampleText(string name) =>
        name.Contains("mail", StringComparison.OrdinalIgnoreCase) ? "someone@example.com"
        : name.Contains("currency", StringComparison.OrdinalIgnoreCase) ? "usd"
        : "sample";
}
