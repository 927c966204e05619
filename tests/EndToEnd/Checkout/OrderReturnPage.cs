using System.Text.Json;
using System.Text.RegularExpressions;
using Courier.EndToEnd.Tests.Browsing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Playwright;
using Npgsql;
using static Microsoft.Playwright.Assertions;

namespace Courier.EndToEnd.Tests.Checkout;

/// <summary>
/// The return page (<c>/checkout/return?order=…</c>) in a visit's first tab, as a shopper reads it: the headline, the
/// payment step and one delivery step per order line, each with its state
/// (<c>data-state</c> done/current/problem/pending, <c>data-delivery-status</c> as the delivery reports it).
/// When the page does not get there, the failure says where the order, the page's live connection
/// and the server were meanwhile.
/// </summary>
internal sealed class OrderReturnPage(Visit visit)
{
    private readonly IPage page = visit.Page;
    private readonly DateTimeOffset openedAt = DateTimeOffset.UtcNow;

    public const string ReadyHeadline = "Your order is ready";

    public ILocator Headline => page.GetByTestId("order-headline");

    public ILocator PaymentStep => page.Locator("[data-testid=order-step][data-step=payment]");

    public ILocator DeliverySteps => page.Locator("[data-testid=order-step][data-step=delivery]");

    public ILocator Total => page.GetByTestId("order-total");

    public ILocator DeliveryStep(string title) => DeliverySteps.Filter(new() { HasText = title });

    public async Task ExpectOpenedAsync(string orderId)
    {
        await Expect(page).ToHaveURLAsync(new Regex($"/checkout/return\\?order={Regex.Escape(orderId)}(&|$)"));
        await Expect(page.GetByTestId("order-live")).ToBeVisibleAsync();
    }

    /// <summary>Paid, and every line delivered: what the shopper came back for.</summary>
    public async Task ExpectPaidAndReadyAsync(int lines)
    {
        try
        {
            await ExpectPaidAndReadyOnPageAsync(lines);
        }
        catch (PlaywrightException shown)
        {
            Assert.Fail($"{shown.Message}\n{await DescribeAsync()}");
        }
    }

    private async Task ExpectPaidAndReadyOnPageAsync(int lines)
    {
        await Expect(Headline).ToHaveTextAsync(ReadyHeadline);
        await Expect(PaymentStep).ToHaveAttributeAsync("data-state", "done");
        await Expect(PaymentStep).ToContainTextAsync("Payment confirmed");
        await Expect(DeliverySteps).ToHaveCountAsync(lines);
        for (var line = 0; line < lines; line++)
        {
            await Expect(DeliverySteps.Nth(line)).ToHaveAttributeAsync("data-delivery-status", "Ready");
            await Expect(DeliverySteps.Nth(line)).ToHaveAttributeAsync("data-state", "done");
        }
    }

    /// <summary>The order as the API has it now, the page's live connection, and what the browser and the server logged since the page opened.</summary>
    private async Task<string> DescribeAsync()
    {
        var report = new List<string> { $"--- page {page.Url}" };
        try
        {
            report.Add($"live: {await page.EvaluateAsync<string>("() => `${document.documentElement.dataset.live} (${document.documentElement.dataset.liveTopics})`")}");
            if (QueryHelpers.ParseQuery(new Uri(page.Url).Query).TryGetValue("order", out var orderId))
            {
                var detail = await StoreApi.GetOrderAsync(page, orderId.ToString());
                var order = detail.GetProperty("order");
                report.Add($"order now: {order.GetProperty("status").GetString()} v{order.GetProperty("version")}");
                foreach (var delivery in detail.GetProperty("deliveries").EnumerateArray())
                    report.Add($"delivery {delivery.GetProperty("id").GetString()}: {delivery.GetProperty("status").GetString()}, attempt {delivery.GetProperty("attempt")}, v{delivery.GetProperty("version")}");
                foreach (var entry in detail.GetProperty("timeline").EnumerateArray())
                    report.Add($"timeline {entry.GetProperty("at").GetString()} {entry.GetProperty("kind").GetString()} {entry.GetProperty("data").GetRawText()}");
            }
        }
        catch (Exception ex) when (ex is PlaywrightException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            report.Add($"(could not read the order: {ex.Message})");
        }
        report.Add("--- outbox messages not done, written since shortly before the page opened");
        report.AddRange(await UnfinishedOutboxAsync());
        report.Add("--- browser console since the page opened");
        report.AddRange(visit.ConsoleErrors.LoggedSince(openedAt));
        report.Add("--- server log since the page opened");
        report.AddRange(visit.Store.Log.Since(openedAt.AddSeconds(-5)));
        return string.Join("\n", report);
    }

    private async Task<IEnumerable<string>> UnfinishedOutboxAsync()
    {
        try
        {
            await using var connection = new NpgsqlConnection(visit.Store.Database.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                """
                SELECT message_type || ' for ' || grain_key || ': ' || status || ', ' || attempts || ' attempts, next ' || next_attempt_at
                       || ', lease ' || coalesce(lease_owner, '-') || ' until ' || coalesce(lease_until::text, '-') || coalesce(', ' || last_error, '')
                FROM outbox WHERE status <> 'done' AND created_at >= @since ORDER BY created_at
                """, connection);
            command.Parameters.AddWithValue("since", openedAt.AddMinutes(-1));
            var rows = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
            return rows.Count == 0 ? ["(none)"] : rows;
        }
        catch (NpgsqlException ex)
        {
            return [$"(could not read the outbox: {ex.Message})"];
        }
    }
}
