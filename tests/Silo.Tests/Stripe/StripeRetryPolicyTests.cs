using System.Net;
using Courier.Silo.Adapters.Stripe;

namespace Courier.Silo.Tests.Stripe;

public sealed class StripeRetryPolicyTests
{
    private static readonly StripeOptions Options = new()
    {
        RetryBaseDelay = TimeSpan.FromMilliseconds(500),
        MaxRetryDelay = TimeSpan.FromSeconds(5),
    };

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.Conflict, true)]
    [InlineData(HttpStatusCode.TooManyRequests, true)]
    [InlineData(HttpStatusCode.BadRequest, false)]
    [InlineData(HttpStatusCode.PaymentRequired, false)]
    [InlineData(HttpStatusCode.Unauthorized, false)]
    [InlineData(HttpStatusCode.NotFound, false)]
    public void IsRetryableAnswer_WithoutStripeShouldRetry_FollowsStatus(HttpStatusCode status, bool expected) =>
        Assert.Equal(expected, StripeRetryPolicy.IsRetryableAnswer(status, stripeShouldRetry: null));

    [Fact]
    public void IsRetryableAnswer_StripeShouldRetryHeader_OverridesStatus()
    {
        Assert.False(StripeRetryPolicy.IsRetryableAnswer(HttpStatusCode.InternalServerError, stripeShouldRetry: false));
        Assert.True(StripeRetryPolicy.IsRetryableAnswer(HttpStatusCode.BadRequest, stripeShouldRetry: true));
    }

    [Theory]
    [InlineData(1, 0.0, 250)]
    [InlineData(1, 1.0, 500)]
    [InlineData(2, 0.0, 500)]
    [InlineData(3, 1.0, 2000)]
    [InlineData(5, 1.0, 5000)]
    [InlineData(9, 0.0, 2500)]
    public void DelayBeforeRetry_DoublesPerRetryWithJitterUpToTheMaximum(int retry, double random, int expectedMilliseconds)
    {
        var policy = new StripeRetryPolicy(Options, () => random);

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), policy.DelayBeforeRetry(retry, retryAfter: null));
    }

    [Fact]
    public void DelayBeforeRetry_RetryAfterLongerThanBackoff_WaitsAsAsked()
    {
        var policy = new StripeRetryPolicy(Options, () => 0.5);

        Assert.Equal(TimeSpan.FromSeconds(3), policy.DelayBeforeRetry(1, TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public void DelayBeforeRetry_RetryAfterBeyondTheMaximum_GivesUpForTheOutbox()
    {
        var policy = new StripeRetryPolicy(Options, () => 0.5);

        Assert.Null(policy.DelayBeforeRetry(1, TimeSpan.FromSeconds(30)));
    }
}
