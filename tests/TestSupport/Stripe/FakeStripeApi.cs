using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Courier.TestSupport.Stripe;

/// <summary>
/// A stand-in for Stripe's API on 127.0.0.1 (point <c>Stripe:ApiBase</c> at <see cref="BaseAddress"/>).
/// It keeps checkout sessions, refunds and events like Stripe does — answers are Stripe's example
/// objects from fixtures3.json with the request's values filled in — honours idempotency keys, and
/// records every request. <see cref="EnqueueReply"/> scripts failures (500s, declines, dropped connections).
/// </summary>
public sealed class FakeStripeApi : IAsyncDisposable
{
    public const string SecretKey = "sk_test_courier_fake";

    private LoopbackHttpServer server = null!;
    private readonly Lock gate = new();
    private readonly List<FakeStripeRequest> requests = [];
    private readonly ConcurrentQueue<FakeStripeReply> scriptedReplies = new();
    private readonly Dictionary<string, JsonObject> sessions = [];
    private readonly Dictionary<string, long> refundedByPaymentIntent = [];
    private readonly List<JsonObject> events = [];
    private readonly Dictionary<string, (string Body, FakeStripeReply Reply)> idempotentReplies = [];
    private int nextId;

    /// <summary>Root of the fake API, e.g. http://127.0.0.1:40123/.</summary>
    public Uri BaseAddress => server.Root;

    /// <summary>The largest page <c>GET /v1/events</c> returns, whatever <c>limit</c> asks for, to make paging visible.</summary>
    public int EventsPageSize { get; set; } = 100;

    /// <summary>The clock the fake stamps objects with.</summary>
    public Func<DateTimeOffset> Now { get; set; } = () => DateTimeOffset.UtcNow;

    public IReadOnlyList<FakeStripeRequest> Requests
    {
        get
        {
            lock (gate)
            {
                return [.. requests];
            }
        }
    }

    public static async Task<FakeStripeApi> StartAsync()
    {
        var fake = new FakeStripeApi();
        fake.server = await LoopbackHttpServer.StartAsync(fake.HandleAsync);
        return fake;
    }

    /// <summary>The next request (whatever its path) gets <paramref name="reply"/> instead of the normal answer.</summary>
    public void EnqueueReply(FakeStripeReply reply) => scriptedReplies.Enqueue(reply);

    /// <summary>Completes a session as if the customer paid: status complete, payment_status paid, a PaymentIntent, and a checkout.session.completed event.</summary>
    /// <returns>The PaymentIntent id.</returns>
    public string PayCheckoutSession(string sessionId)
    {
        lock (gate)
        {
            var session = sessions.TryGetValue(sessionId, out var found) ? found : throw new KeyNotFoundException($"The fake has no session {sessionId}.");
            var paymentIntent = NewId("pi");
            session["status"] = "complete";
            session["payment_status"] = "paid";
            session["payment_intent"] = paymentIntent;
            AddEventLocked("checkout.session.completed", session.DeepClone().AsObject());
            return paymentIntent;
        }
    }

    /// <summary>Adds an event to what <c>GET /v1/events</c> lists.</summary>
    public JsonObject AddEvent(string type, JsonObject dataObject, DateTimeOffset? created = null)
    {
        lock (gate)
        {
            return AddEventLocked(type, dataObject, created);
        }
    }

    public ValueTask DisposeAsync() => server.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync();
        var recorded = new FakeStripeRequest(
            DateTimeOffset.UtcNow,
            request.Method,
            request.Path.Value ?? "",
            ParseForm(request.QueryString.HasValue ? request.QueryString.Value![1..] : ""),
            request.Headers.ToDictionary(header => header.Key, header => header.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body,
            ParseForm(body));
        int number;
        lock (gate)
        {
            requests.Add(recorded);
            number = requests.Count;
        }

        var reply = scriptedReplies.TryDequeue(out var scripted) ? scripted : Answer(recorded);
        if (reply.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(reply.Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return; // the client gave up waiting
            }
        }

        if (reply.DropConnection)
        {
            context.Abort();
            return;
        }

        context.Response.StatusCode = reply.Status;
        foreach (var (name, value) in reply.Headers)
        {
            context.Response.Headers[name] = value;
        }

        context.Response.Headers["Request-Id"] = $"req_fake_{number}";
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(reply.Body);
    }

    private FakeStripeReply Answer(FakeStripeRequest request)
    {
        if (request.Header("Authorization") != $"Bearer {SecretKey}")
        {
            return FakeStripeReply.Error(401, "invalid_request_error", null, "Invalid API Key provided.");
        }

        lock (gate)
        {
            var key = request.Header("Idempotency-Key");
            if (request.Method == "POST" && key is not null && idempotentReplies.TryGetValue(key, out var earlier))
            {
                return earlier.Body == request.Body
                    ? earlier.Reply
                    : FakeStripeReply.Error(400, "idempotency_error", null,
                        $"Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '{key}' if you meant to execute a different request.");
            }

            var segments = request.Path.Trim('/').Split('/');
            var reply = (request.Method, segments) switch
            {
                ("POST", ["v1", "checkout", "sessions"]) => CreateSession(request.Form),
                ("GET", ["v1", "checkout", "sessions", var id]) => WithSession(id, session => FakeStripeReply.Json(200, session)),
                ("POST", ["v1", "checkout", "sessions", var id, "expire"]) => WithSession(id, ExpireSession),
                ("POST", ["v1", "refunds"]) => CreateRefund(request.Form),
                ("GET", ["v1", "events"]) => ListEvents(request.Query),
                _ => FakeStripeReply.Error(404, "invalid_request_error", null, $"Unrecognized request URL ({request.Method}: {request.Path})."),
            };

            if (request.Method == "POST" && key is not null)
            {
                idempotentReplies[key] = (request.Body, reply);
            }

            return reply;
        }
    }

    private FakeStripeReply CreateSession(IReadOnlyDictionary<string, string> form)
    {
        var session = StripeFixtures.Resource("checkout.session");
        var id = NewId("cs_test");
        long total = 0;
        for (var line = 0; form.ContainsKey($"line_items[{line}][quantity]"); line++)
        {
            total += long.Parse(form[$"line_items[{line}][price_data][unit_amount]"], CultureInfo.InvariantCulture)
                * long.Parse(form[$"line_items[{line}][quantity]"], CultureInfo.InvariantCulture);
            session["currency"] = form[$"line_items[{line}][price_data][currency]"];
        }

        session["id"] = id;
        session["url"] = $"https://checkout.stripe.com/c/pay/{id}";
        session["mode"] = form.GetValueOrDefault("mode");
        session["status"] = "open";
        session["payment_status"] = "unpaid";
        session["payment_intent"] = null;
        session["amount_subtotal"] = total;
        session["amount_total"] = total;
        session["client_reference_id"] = form.GetValueOrDefault("client_reference_id");
        session["customer_email"] = form.GetValueOrDefault("customer_email");
        session["success_url"] = form.GetValueOrDefault("success_url");
        session["cancel_url"] = form.GetValueOrDefault("cancel_url");
        session["created"] = Now().ToUnixTimeSeconds();
        session["expires_at"] = form.TryGetValue("expires_at", out var expiresAt)
            ? long.Parse(expiresAt, CultureInfo.InvariantCulture)
            : Now().AddHours(24).ToUnixTimeSeconds();
        session["metadata"] = Metadata(form, "metadata");
        sessions[id] = session;
        return FakeStripeReply.Json(200, session);
    }

    private FakeStripeReply ExpireSession(JsonObject session)
    {
        if ((string?)session["status"] != "open")
        {
            return FakeStripeReply.Error(400, "invalid_request_error", null,
                $"Only Checkout Sessions with a status in [\"open\"] can be expired. This Checkout Session has a status of \"{session["status"]}\".");
        }

        session["status"] = "expired";
        AddEventLocked("checkout.session.expired", session.DeepClone().AsObject());
        return FakeStripeReply.Json(200, session);
    }

    private FakeStripeReply CreateRefund(IReadOnlyDictionary<string, string> form)
    {
        var paymentIntent = form.GetValueOrDefault("payment_intent");
        var session = sessions.Values.FirstOrDefault(candidate => paymentIntent is not null && (string?)candidate["payment_intent"] == paymentIntent);
        if (session is null)
        {
            return FakeStripeReply.Error(404, "invalid_request_error", "resource_missing", $"No such payment_intent: '{paymentIntent}'", "payment_intent");
        }

        var paid = (long)session["amount_total"]!;
        var alreadyRefunded = refundedByPaymentIntent.GetValueOrDefault(paymentIntent!);
        var amount = form.TryGetValue("amount", out var asked) ? long.Parse(asked, CultureInfo.InvariantCulture) : paid - alreadyRefunded;
        if (amount <= 0 || alreadyRefunded + amount > paid)
        {
            return FakeStripeReply.Error(400, "invalid_request_error", "amount_too_large",
                $"Refund amount ({amount}) is greater than unrefunded amount on charge ({paid - alreadyRefunded})", "amount");
        }

        refundedByPaymentIntent[paymentIntent!] = alreadyRefunded + amount;
        var refund = StripeFixtures.Resource("refund");
        refund["id"] = NewId("re");
        refund["amount"] = amount;
        refund["currency"] = (string?)session["currency"];
        refund["payment_intent"] = paymentIntent;
        refund["created"] = Now().ToUnixTimeSeconds();
        refund["metadata"] = Metadata(form, "metadata");

        var charge = StripeFixtures.Resource("charge");
        charge["amount"] = paid;
        charge["amount_captured"] = paid;
        charge["amount_refunded"] = alreadyRefunded + amount;
        charge["refunded"] = alreadyRefunded + amount == paid;
        charge["currency"] = (string?)session["currency"];
        charge["payment_intent"] = paymentIntent;
        AddEventLocked("charge.refunded", charge);
        return FakeStripeReply.Json(200, refund);
    }

    private FakeStripeReply ListEvents(IReadOnlyDictionary<string, string> query)
    {
        var since = query.TryGetValue("created[gte]", out var gte) ? long.Parse(gte, CultureInfo.InvariantCulture) : long.MinValue;
        var types = query.Where(pair => pair.Key.StartsWith("types[", StringComparison.Ordinal)).Select(pair => pair.Value).ToHashSet();
        var limit = Math.Min(query.TryGetValue("limit", out var asked) ? int.Parse(asked, CultureInfo.InvariantCulture) : 10, EventsPageSize);

        IEnumerable<JsonObject> matching = events
            .Where(item => (long)item["created"]! >= since)
            .Where(item => types.Count == 0 || types.Contains((string)item["type"]!))
            .Reverse();
        if (query.TryGetValue("starting_after", out var after))
        {
            matching = matching.SkipWhile(item => (string?)item["id"] != after).Skip(1);
        }

        var all = matching.ToList();
        var page = new JsonArray([.. all.Take(limit).Select(item => item.DeepClone())]);
        return FakeStripeReply.Json(200, new JsonObject
        {
            ["object"] = "list",
            ["data"] = page,
            ["has_more"] = all.Count > limit,
            ["url"] = "/v1/events",
        });
    }

    private FakeStripeReply WithSession(string id, Func<JsonObject, FakeStripeReply> answer) =>
        sessions.TryGetValue(id, out var session)
            ? answer(session)
            : FakeStripeReply.Error(404, "invalid_request_error", "resource_missing", $"No such checkout.session: '{id}'", "session");

    private JsonObject AddEventLocked(string type, JsonObject dataObject, DateTimeOffset? created = null)
    {
        var stripeEvent = StripeFixtures.Event(type, dataObject, NewId("evt"), (created ?? Now()).ToUnixTimeSeconds());
        events.Add(stripeEvent);
        return stripeEvent;
    }

    private string NewId(string prefix) => $"{prefix}_fake{Interlocked.Increment(ref nextId):D6}";

    private static JsonObject Metadata(IReadOnlyDictionary<string, string> form, string prefix)
    {
        var metadata = new JsonObject();
        foreach (var (key, value) in form)
        {
            if (key.StartsWith(prefix + "[", StringComparison.Ordinal) && key.EndsWith(']') && key.IndexOf('[', prefix.Length + 1) < 0)
            {
                metadata[key[(prefix.Length + 1)..^1]] = value;
            }
        }

        return metadata;
    }

    private static Dictionary<string, string> ParseForm(string encoded)
    {
        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in encoded.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var separator = pair.IndexOf('=', StringComparison.Ordinal);
            var key = separator < 0 ? pair : pair[..separator];
            var value = separator < 0 ? "" : pair[(separator + 1)..];
            form[Uri.UnescapeDataString(key.Replace('+', ' '))] = Uri.UnescapeDataString(value.Replace('+', ' '));
        }

        return form;
    }
}

/// <summary>One request the fake received. <see cref="Form"/> and <see cref="Query"/> are decoded, keys as Stripe spells them ("metadata[order_id]").</summary>
public sealed record FakeStripeRequest(
    DateTimeOffset ReceivedAt,
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Query,
    IReadOnlyDictionary<string, string> Headers,
    string Body,
    IReadOnlyDictionary<string, string> Form)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>An answer the fake gives; see <see cref="FakeStripeApi.EnqueueReply"/>.</summary>
public sealed record FakeStripeReply(int Status, string Body, IReadOnlyDictionary<string, string> Headers, bool DropConnection = false)
{
    /// <summary>How long the fake waits before answering (to make a client time out).</summary>
    public TimeSpan Delay { get; init; }

    public static FakeStripeReply Json(int status, JsonNode body, IReadOnlyDictionary<string, string>? headers = null) =>
        new(status, body.ToJsonString(), headers ?? new Dictionary<string, string>());

    /// <summary>Stripe's error shape: <c>{"error": {"type", "code", "decline_code", "message", "param"}}</c>.</summary>
    public static FakeStripeReply Error(
        int status, string type, string? code, string message, string? param = null, string? declineCode = null,
        IReadOnlyDictionary<string, string>? headers = null)
    {
        var error = new JsonObject { ["type"] = type, ["message"] = message };
        if (code is not null)
        {
            error["code"] = code;
        }

        if (declineCode is not null)
        {
            error["decline_code"] = declineCode;
        }

        if (param is not null)
        {
            error["param"] = param;
        }

        return Json(status, new JsonObject { ["error"] = error }, headers);
    }

    /// <summary>Closes the connection without answering, as a network failure would.</summary>
    public static FakeStripeReply Drop() => new(0, "", new Dictionary<string, string>(), DropConnection: true);
}
