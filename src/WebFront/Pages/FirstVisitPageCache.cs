using Courier.Abstractions.Catalog;
using Courier.Silo.Live;

namespace Courier.WebFront.Pages;

/// <summary>
/// The rendered HTML of the landing page and the full catalog as a first-time visitor sees them.
/// A request without any cookie has no cart, no session and no preferences, so every such visitor
/// gets the same page; rendering it once instead of per request is what lets those pages keep up
/// with crawlers and launch-day traffic. Each visitor still gets their own cookies: they are issued
/// by the middleware that runs before this one. Any product change (from this node or, through the
/// live-update relay, from another) empties the cache; a render that overlapped a change is not kept.
/// </summary>
internal sealed class FirstVisitPageCache : IMiddleware, IDisposable
{
    private const int MaxPageBytes = 512 * 1024;
    private static readonly string[] CachedPaths = ["/", "/templates"];

    private readonly IDisposable subscription;
    private readonly Dictionary<string, CachedPage> pages = [];
    private readonly Lock gate = new();
    private long generation;

    public FirstVisitPageCache(LiveUpdateBus bus) =>
        subscription = bus.Subscribe(update =>
        {
            if (update.Kind == ProductChanged.Name) Clear();
            return ValueTask.CompletedTask;
        });

    private sealed record CachedPage(byte[] Body, string ContentType, string? EnhancedNavigation);

    public void Clear()
    {
        lock (gate)
        {
            generation++;
            pages.Clear();
        }
    }

    public static bool Serves(HttpRequest request) =>
        HttpMethods.IsGet(request.Method)
        && !request.QueryString.HasValue
        && request.Headers.Cookie.Count == 0
        && request.Headers.Authorization.Count == 0
        && CachedPaths.Contains(request.Path.Value, StringComparer.Ordinal);

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (!Serves(context.Request))
        {
            await next(context);
            return;
        }

        var key = context.Request.Path.Value!;
        CachedPage? cached;
        long startedAt;
        lock (gate)
        {
            pages.TryGetValue(key, out cached);
            startedAt = generation;
        }
        if (cached is not null)
        {
            context.Response.ContentType = cached.ContentType;
            context.Response.Headers["X-Courier-Page-Cache"] = "hit";
            if (cached.EnhancedNavigation is { } navigation) context.Response.Headers["blazor-enhanced-nav"] = navigation;
            context.Response.ContentLength = cached.Body.Length;
            await context.Response.Body.WriteAsync(cached.Body, context.RequestAborted);
            return;
        }

        var original = context.Response.Body;
        await using var copy = new TeeStream(original, MaxPageBytes);
        context.Response.Body = copy;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }
        if (context.Response.StatusCode != StatusCodes.Status200OK || copy.Overflowed
            || context.Response.ContentType is not { } type || !type.StartsWith("text/html", StringComparison.OrdinalIgnoreCase))
            return;
        var page = new CachedPage(copy.Captured(), type, context.Response.Headers["blazor-enhanced-nav"].FirstOrDefault());
        lock (gate)
        {
            if (generation == startedAt) pages[key] = page;
        }
    }

    public void Dispose() => subscription.Dispose();

    /// <summary>Writes through to the response and keeps a copy, up to a limit.</summary>
    private sealed class TeeStream(Stream inner, int limit) : Stream
    {
        private readonly MemoryStream captured = new();

        public bool Overflowed { get; private set; }

        public byte[] Captured() => captured.ToArray();

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            Keep(buffer.AsSpan(offset, count));
            inner.Write(buffer, offset, count);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Keep(buffer.Span);
            await inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private void Keep(ReadOnlySpan<byte> bytes)
        {
            if (Overflowed) return;
            if (captured.Length + bytes.Length > limit) Overflowed = true;
            else captured.Write(bytes);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) captured.Dispose();
            base.Dispose(disposing);
        }
    }
}
