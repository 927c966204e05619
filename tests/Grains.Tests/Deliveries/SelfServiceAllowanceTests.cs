using Courier.Grains.Deliveries;

namespace Courier.Grains.Tests.Deliveries;

public sealed class SelfServiceAllowanceTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Sixth_use_within_an_hour_is_blocked_until_the_first_use_is_an_hour_old()
    {
        var allowance = new SelfServiceAllowance();
        for (var i = 0; i < 5; i++)
        {
            Assert.Null(allowance.BlockedUntil("newLink", Start.AddMinutes(i * 10)));
            allowance.Use("newLink", Start.AddMinutes(i * 10));
        }

        Assert.Equal(Start.AddHours(1), allowance.BlockedUntil("newLink", Start.AddMinutes(45)));
        Assert.Equal(0, allowance.Remaining("newLink", Start.AddMinutes(45)));
        Assert.Null(allowance.BlockedUntil("newLink", Start.AddHours(1)));
        Assert.Equal(1, allowance.Remaining("newLink", Start.AddHours(1)));
    }

    [Fact]
    public void Actions_are_counted_separately_and_old_uses_are_forgotten()
    {
        var allowance = new SelfServiceAllowance();
        for (var i = 0; i < 5; i++) allowance.Use("newLink", Start);

        Assert.Null(allowance.BlockedUntil("resend", Start));
        allowance.Use("newLink", Start.AddHours(2));
        Assert.Single(allowance.Uses["newLink"]);
    }
}
