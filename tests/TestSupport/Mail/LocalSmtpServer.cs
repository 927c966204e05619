using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using MimeKit;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.Mail;
using SmtpServer.Net;
using SmtpServer.Protocol;
using SmtpServer.Storage;
using SmtpServiceProvider = SmtpServer.ComponentModel.ServiceProvider;

namespace Courier.TestSupport.Mail;

/// <summary>
/// A real SMTP server (the SmtpServer library, which no one on this team wrote) on 127.0.0.1 and a
/// free port: keeps every message it accepts and counts connections, and can be told to refuse a
/// recipient for good (550), to put messages off (451), to require a sign-in, or to close idle
/// connections as relays do.
/// </summary>
public sealed class LocalSmtpServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedMail> received = new();
    private readonly ConcurrentDictionary<string, bool> refused = new(StringComparer.OrdinalIgnoreCase);
    private readonly CancellationTokenSource stop = new();
    private readonly Lock gate = new();
    private SmtpServer.SmtpServer server = null!;
    private Task running = Task.CompletedTask;
    private int connections;
    private int deferrals;

    private LocalSmtpServer()
    {
    }

    public int Port { get; private set; }

    public IReadOnlyList<ReceivedMail> Received => [.. received];

    /// <summary>How many SMTP connections clients opened.</summary>
    public int Connections => Volatile.Read(ref connections);

    /// <summary>RCPT TO this address is answered "550 5.1.1 No such user here".</summary>
    public void RefuseRecipient(string address) => refused[address] = true;

    /// <summary>The next <paramref name="count"/> messages are answered "451 4.3.0 Mail server busy, try again later" after their content.</summary>
    public void DeferNextMessages(int count)
    {
        lock (gate) deferrals = count;
    }

    /// <param name="user">When set, clients must sign in (AUTH PLAIN or LOGIN, allowed without TLS here) as this user.</param>
    /// <param name="idleTimeout">When set, a connection idle this long is closed by the server.</param>
    public static async Task<LocalSmtpServer> StartAsync(string? user = null, string? password = null, TimeSpan? idleTimeout = null)
    {
        var local = new LocalSmtpServer();
        var builder = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(endpoint => endpoint
                .Endpoint(new IPEndPoint(IPAddress.Loopback, 0))
                .AuthenticationRequired(user is not null)
                .AllowUnsecureAuthentication(true));
        if (idleTimeout is { } idle) builder.CommandWaitTimeout(idle);

        var listeners = new EndpointListenerFactory();
        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        listeners.EndpointStarted += (_, e) => listening.TrySetResult(((IPEndPoint)e.LocalEndPoint).Port);
        var services = new SmtpServiceProvider();
        services.Add(listeners);
        services.Add(new Store(local));
        services.Add(new Filter(local));
        if (user is not null)
            services.Add(new DelegatingUserAuthenticator((name, secret) => name == user && secret == password));

        local.server = new SmtpServer.SmtpServer(builder.Build(), services);
        local.server.SessionCreated += (_, _) => Interlocked.Increment(ref local.connections);
        local.running = local.server.StartAsync(local.stop.Token);
        local.Port = await listening.Task.WaitAsync(TimeSpan.FromSeconds(10));
        return local;
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try
        {
            await running.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (OperationCanceledException)
        {
        }
        stop.Dispose();
    }

    private bool TakeDeferral()
    {
        lock (gate)
        {
            if (deferrals == 0) return false;
            deferrals--;
            return true;
        }
    }

    private sealed class Store(LocalSmtpServer owner) : IMessageStore
    {
        public async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            if (owner.TakeDeferral()) return new SmtpResponse(SmtpReplyCode.Aborted, "4.3.0 Mail server busy, try again later");
            using var content = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(content, cancellationToken);
            owner.received.Enqueue(new ReceivedMail(message, [.. transaction.To.Select(to => to.AsAddress())],
                context.Authentication.IsAuthenticated ? context.Authentication.User : null, context.SessionId));
            return SmtpResponse.Ok;
        }
    }

    private sealed class Filter(LocalSmtpServer owner) : IMailboxFilter
    {
        public Task<bool> CanAcceptFromAsync(ISessionContext context, IMailbox from, int size, CancellationToken cancellationToken) => Task.FromResult(true);

        public Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken) =>
            owner.refused.ContainsKey(to.AsAddress())
                ? throw new SmtpResponseException(new SmtpResponse(SmtpReplyCode.MailboxUnavailable, "5.1.1 No such user here"))
                : Task.FromResult(true);
    }
}

/// <param name="Recipients">The envelope's RCPT TO addresses.</param>
/// <param name="SignedInAs">The user the client signed in as, if it did.</param>
/// <param name="ConnectionId">The SMTP session the message came on.</param>
public sealed record ReceivedMail(MimeMessage Message, IReadOnlyList<string> Recipients, string? SignedInAs, Guid ConnectionId);
