using Courier.Abstractions.Audit;
using Courier.Abstractions.Commerce;
using Courier.Abstractions.Coupons;
using Courier.Abstractions.Runtime;

namespace Courier.Grains.Coupons;

public sealed class CouponState
{
    public CouponDraft? Draft { get; set; }
    public int Used { get; set; }

    /// <summary>The latest orders that used the coupon, for idempotent redemption; bounded so a popular coupon stays small.</summary>
    public List<string> RecentRedemptions { get; set; } = [];
}

[Orleans.GrainType("Courier.Grains.Coupons.CouponGrain")]
internal sealed class CouponGrain([GrainContext] IGrainContext<CouponState> grain) : Grain, ICouponGrain
{
    public const int MaxRememberedRedemptions = 500;

    public Task<CouponView> SaveAsync(CouponDraft draft, string? actorId = null)
    {
        var errors = new Dictionary<string, object?>();
        if (draft.Kind == CouponKind.Percentage && draft.Value is <= 0 or > 10_000) errors["value"] = "A percentage is given in basis points: 1–10000 (10000 = 100 %).";
        if (draft.Kind == CouponKind.Fixed && draft.Value <= 0) errors["value"] = "A fixed discount must be positive (minor units).";
        if (draft.UsageLimit is <= 0) errors["usageLimit"] = "A usage limit must be positive, or left out for no limit.";
        if (draft.MinimumSubtotal < 0) errors["minimumSubtotal"] = "The minimum cannot be negative.";
        if (errors.Count > 0) throw new RuleViolationException("invalid-coupon", "The coupon has invalid fields.", 400, errors);
        grain.State.Draft = draft with { Currency = draft.Currency.ToLowerInvariant() };
        if (actorId is not null)
            grain.Project(new AuditEntry(grain.Now, actorId, AuditActions.CouponSaved, $"coupon:{grain.Key}", new Dictionary<string, string>
            {
                ["kind"] = draft.Kind.ToString(), ["value"] = draft.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["usageLimit"] = draft.UsageLimit?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none",
            }));
        return Task.FromResult(View()!);
    }

    public Task<CouponQuote> QuoteAsync(Money subtotal)
    {
        var draft = grain.State.Draft;
        if (draft is null) return Task.FromResult(NotApplied(subtotal, "This coupon code does not exist."));
        if (draft.ExpiresAt is { } expires && grain.Now >= expires)
            return Task.FromResult(NotApplied(subtotal, $"This coupon expired on {expires:yyyy-MM-dd HH:mm} UTC."));
        if (draft.UsageLimit is { } limit && grain.State.Used >= limit)
            return Task.FromResult(NotApplied(subtotal, "This coupon has been used up."));
        if (!string.Equals(subtotal.Currency, draft.Currency, StringComparison.Ordinal))
            return Task.FromResult(NotApplied(subtotal, $"This coupon applies to {draft.Currency.ToUpperInvariant()} carts only."));
        if (subtotal.Amount < draft.MinimumSubtotal)
            return Task.FromResult(NotApplied(subtotal, $"This coupon needs a subtotal of at least {new Money(draft.MinimumSubtotal, draft.Currency)}."));
        var discount = draft.Kind == CouponKind.Percentage
            ? subtotal.Percent((int)draft.Value)
            : new Money(draft.Value, subtotal.Currency).Min(subtotal);
        return Task.FromResult(new CouponQuote(true, discount, null));
    }

    public Task<bool> RedeemAsync(string orderId)
    {
        if (grain.State.RecentRedemptions.Contains(orderId)) return Task.FromResult(true);
        if (grain.State.Draft is not { } draft || (draft.UsageLimit is { } limit && grain.State.Used >= limit))
            return Task.FromResult(false);
        grain.State.Used++;
        grain.State.RecentRedemptions.Add(orderId);
        if (grain.State.RecentRedemptions.Count > MaxRememberedRedemptions) grain.State.RecentRedemptions.RemoveAt(0);
        return Task.FromResult(true);
    }

    public Task<CouponView?> GetAsync() => Task.FromResult(View());

    private CouponView? View() => grain.State.Draft is { } d
        ? new CouponView(grain.Key, d.Kind, d.Value, d.Currency, d.ExpiresAt, d.UsageLimit, grain.State.Used, d.MinimumSubtotal)
        : null;

    private static CouponQuote NotApplied(Money subtotal, string reason) => new(false, Money.Zero(subtotal.Currency), reason);
}
