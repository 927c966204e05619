using System.Net;
using Courier.Abstractions.Accounts;
using Courier.TestSupport;
using Courier.WebFront.Tests.Commerce;
using Courier.WebFront.Tests.Deliveries;

namespace Courier.WebFront.Tests.Accounts;

/// <summary>
/// A customer deletes their own account: after their password and a clear confirmation, every
/// session ends, their details leave Courier (profile, kept e-mails, sign-in activity), their
/// orders stay for the seller without their address, a delivery still in use is withdrawn, and the
/// address may register again. Audited.
/// </summary>
public sealed class AccountDeletionTests(DownloadWebFactory factory) : IClassFixture<DownloadWebFactory>
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task Deleting_needs_the_password_and_a_confirmation_and_changes_nothing_without_them()
    {
        var email = $"careful-{Guid.NewGuid():N}@example.com";
        using var customer = await new ApiSession(factory).OpenAsync();
        (await customer.RegisterAsync(email, Password)).EnsureSuccessStatusCode();

        using var unconfirmed = await customer.PostAsync("/api/me/delete", new { password = Password });
        using var wrongPassword = await customer.PostAsync("/api/me/delete", new { password = "not it at all", confirm = true });

        Assert.Equal(HttpStatusCode.BadRequest, unconfirmed.StatusCode);
        Assert.Contains("confirm", (await Problem.ReadAsync(unconfirmed)).ErrorFields);
        Assert.Equal(HttpStatusCode.BadRequest, wrongPassword.StatusCode);
        Assert.Contains("password", (await Problem.ReadAsync(wrongPassword)).ErrorFields);
        using var me = await customer.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    [Fact]
    public async Task A_deleted_account_leaves_orders_without_its_details_withdraws_its_delivery_and_frees_the_address()
    {
        var email = $"leaving-{Guid.NewGuid():N}@example.com";
        var (product, _) = await factory.SeedDownloadAsync();
        using var customer = await new ApiSession(factory).OpenAsync();
        (await customer.RegisterAsync(email, Password)).EnsureSuccessStatusCode();
        using var phone = await new ApiSession(factory).OpenAsync();
        (await phone.LoginAsync(email, Password)).EnsureSuccessStatusCode();
        var delivery = await customer.BuyAsync(product.Id, email);
        var orderId = delivery.GetProperty("orderId").GetString()!;
        var accountId = await factory.Database.ScalarAsync<string>("SELECT id FROM accounts WHERE email = $1", email);
        await Eventually.TrueAsync(async () => await factory.Database.ScalarAsync<long>("SELECT count(*) FROM mailbox WHERE recipient = $1", email) > 0,
            TimeSpan.FromSeconds(20), "the receipt is kept in the mailbox");

        using var deleted = await customer.PostAsync("/api/me/delete", new { password = Password, confirm = true });

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        using (var me = await customer.GetAsync("/api/me")) Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        using (var me = await phone.GetAsync("/api/me")) Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        Assert.Equal(0L, await factory.Database.ScalarAsync<long>("SELECT count(*) FROM accounts WHERE id = $1", accountId!));
        await Eventually.TrueAsync(async () =>
            await factory.Database.ScalarAsync<string>("SELECT email FROM orders WHERE id = $1", orderId) == AccountEmail.Erased
            && await factory.Database.ScalarAsync<string>("SELECT lower(status) FROM deliveries WHERE id = $1", $"{orderId}:1") == "revoked"
            && await factory.Database.ScalarAsync<long>("SELECT count(*) FROM mailbox WHERE recipient = $1", email) == 0
            && await factory.Database.ScalarAsync<long>("SELECT count(*) FROM sign_in_activity WHERE email = $1", email) == 0,
            TimeSpan.FromSeconds(30), $"the order forgets the customer ({await factory.Database.ScalarAsync<string>("SELECT email FROM orders WHERE id = $1", orderId)}), " +
                $"the delivery is withdrawn ({await factory.Database.ScalarAsync<string>("SELECT status FROM deliveries WHERE id = $1", $"{orderId}:1")}), " +
                $"e-mails ({await factory.Database.ScalarAsync<long>("SELECT count(*) FROM mailbox WHERE recipient = $1", email)}) and sign-ins go " +
                $"({await factory.Database.ScalarAsync<long>("SELECT count(*) FROM sign_in_activity WHERE email = $1", email)}); outbox: " +
                await factory.Database.ScalarAsync<string>("SELECT string_agg(message_type || ' ' || status || ' ' || coalesce(last_error, ''), '; ') FROM outbox WHERE status <> 'done'"));
        Assert.Null(await factory.Database.ScalarAsync<string>("SELECT account_id FROM orders WHERE id = $1", orderId));
        Assert.Equal(1L, await factory.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_log WHERE action = 'account.deleted' AND target = $1 AND actor_id = $2", $"account:{accountId}", accountId!));
        Assert.Equal(0L, await factory.Database.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE details::text LIKE '%' || $1 || '%'", email));

        using (var signIn = await new ApiSession(factory).OpenAsync())
        using (var refused = await signIn.LoginAsync(email, Password))
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        using var again = await new ApiSession(factory).OpenAsync();
        using var registered = await again.RegisterAsync(email, "a new start passphrase");
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
    }

    [Fact]
    public async Task An_admin_deletes_an_account_on_request_only_with_a_confirmation()
    {
        var email = $"asked-{Guid.NewGuid():N}@example.com";
        using var customer = await new ApiSession(factory).OpenAsync();
        (await customer.RegisterAsync(email, Password)).EnsureSuccessStatusCode();
        var accountId = await factory.Database.ScalarAsync<string>("SELECT id FROM accounts WHERE email = $1", email);
        using var admin = await factory.AdminAsync();
        var adminId = await factory.Database.ScalarAsync<string>(
            "SELECT id FROM accounts WHERE roles @> ARRAY['admin'] ORDER BY created_at DESC LIMIT 1");

        using var unconfirmed = await admin.PostAsync($"/api/admin/accounts/{accountId}/delete", new { });
        Assert.Equal(HttpStatusCode.BadRequest, unconfirmed.StatusCode);
        using (var still = await customer.GetAsync("/api/me")) Assert.Equal(HttpStatusCode.OK, still.StatusCode);

        using var deleted = await admin.PostAsync($"/api/admin/accounts/{accountId}/delete", new { confirm = true });
        using var unknown = await admin.PostAsync("/api/admin/accounts/no-such-account/delete", new { confirm = true });

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using (var gone = await customer.GetAsync("/api/me")) Assert.Equal(HttpStatusCode.Unauthorized, gone.StatusCode);
        Assert.Equal(1L, await factory.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_log WHERE action = 'account.deleted' AND target = $1 AND actor_id = $2", $"account:{accountId}", adminId!));
    }
}
