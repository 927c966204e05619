using System.ComponentModel.DataAnnotations;
using Orleans.Concurrency;
using Courier.Abstractions.Commerce;
using Courier.Abstractions.Runtime;

namespace Courier.Abstractions.Coupons;

/// <summary>A coupon code (keyed by the upper-case code).</summary>
public interface ICouponGrain : IGrainWithStringKey
{
    /// <summary>Creates or replaces the coupon's rules. A staff <paramref name="actorId"/> is audited.</summary>
    Task<CouponView> SaveAsync(CouponDraft draft, string? actorId = null);

    /// <summary>What the coupon takes off <paramref name="subtotal"/> now, or why it does not apply.</summary>
    [ReadOnly] Task<CouponQuote> QuoteAsync(Money subtotal);

    /// <summary>Counts one use for the order (idempotent per order); false when the limit was reached meanwhile.</summary>
    Task<bool> RedeemAsync(string orderId);

    [ReadOnly] Task<CouponView?> GetAsync();
}

public enum CouponKind
{
    Percentage,
    Fixed,
}

/// <param name="Value">Basis points for a percentage (1000 = 10 %), minor units for a fixed amount.</param>
public sealed record CouponDraft(
    CouponKind Kind,
    [property: Range(1, 100_000_000, ErrorMessage = "Give value: basis points 1–10000 for a percentage, minor units for a fixed discount.")] long Value,
    [property: CurrencyCode] string Currency,
    DateTimeOffset? ExpiresAt,
    [property: Range(1, 10_000_000, ErrorMessage = "Give usageLimit as a positive number, or leave it out for no limit.")] int? UsageLimit,
    [property: Range(0, 100_000_000, ErrorMessage = "Give minimumSubtotal from 0 to 100000000 minor units.")] long MinimumSubtotal);

public sealed record CouponView(string Code, CouponKind Kind, long Value, string Currency, DateTimeOffset? ExpiresAt, int? UsageLimit, int Used, long MinimumSubtotal);

public sealed record CouponQuote(bool Applies, Money Discount, string? Reason);
