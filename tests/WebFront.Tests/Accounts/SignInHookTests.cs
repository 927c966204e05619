using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Courier.WebFront.Accounts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.WebFront.Tests.Accounts;

public sealed class SignInHookTests(CourierWebFactory factory) : IClassFixture<CourierWebFactory>
{
    private sealed class RecordingHook : ISignInHook
    {
        public ConcurrentQueue<(string AccountId, bool UserSet)> Calls { get; } = new();

        public Task OnSignedInAsync(HttpContext context, string accountId)
        {
            Calls.Enqueue((accountId, context.User.Identity?.IsAuthenticated == true));
            return Task.CompletedTask;
        }
    }

    private sealed class FailingHook : ISignInHook
    {
        public Task OnSignedInAsync(HttpContext context, string accountId) => throw new InvalidOperationException("cart merge broke");
    }

    [Fact]
    public async Task Every_hook_runs_after_register_and_login_and_a_failing_one_does_not_undo_the_sign_in()
    {
        var recorder = new RecordingHook();
        await using var hooked = factory.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
        {
            services.AddSingleton<ISignInHook, FailingHook>();
            services.AddSingleton<ISignInHook>(recorder);
        }));
        var email = $"hook-{Guid.NewGuid():N}@example.com";
        using var browser = new ApiSession(hooked);
        await browser.OpenAsync();

        using var registered = await browser.RegisterAsync(email, "correct horse battery");
        var id = JsonDocument.Parse(await registered.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
        (await browser.PostAsync("/api/auth/logout")).Dispose();
        using var login = await browser.LoginAsync(email, "correct horse battery");

        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal([(id!, true), (id!, true)], recorder.Calls);
    }
}
