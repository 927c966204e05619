using Courier.Abstractions.Deliveries;
using Courier.Abstractions.Orders;

namespace Courier.Grains.Tests.Deliveries;

public sealed class DeliveryStateMachineTests
{
    public static TheoryData<DeliveryStatus, DeliveryStatus> EveryPair()
    {
        var data = new TheoryData<DeliveryStatus, DeliveryStatus>();
        foreach (var from in Enum.GetValues<DeliveryStatus>())
            foreach (var to in Enum.GetValues<DeliveryStatus>())
                data.Add(from, to);
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void EnsureAllowed_accepts_exactly_the_moves_of_the_table(DeliveryStatus from, DeliveryStatus to)
    {
        var allowed = DeliveryStateMachine.NextFrom(from).Contains(to);

        Assert.Equal(allowed, DeliveryStateMachine.CanMove(from, to));
        if (allowed)
        {
            DeliveryStateMachine.EnsureAllowed(from, to);
        }
        else
        {
            var error = Assert.Throws<IllegalTransitionException>(() => DeliveryStateMachine.EnsureAllowed(from, to));
            Assert.Equal($"A delivery cannot move from {from} to {to}.", error.Message);
        }
    }

    [Fact]
    public void Table_lets_every_started_delivery_be_revoked_and_nothing_leave_revoked()
    {
        foreach (var status in Enum.GetValues<DeliveryStatus>().Where(s => s is not DeliveryStatus.None and not DeliveryStatus.Revoked))
            Assert.True(DeliveryStateMachine.CanMove(status, DeliveryStatus.Revoked), $"{status} can be revoked");
        Assert.Empty(DeliveryStateMachine.NextFrom(DeliveryStatus.Revoked));
    }

    [Fact]
    public void Table_follows_the_happy_path_and_the_recovery_path()
    {
        DeliveryStatus[] happy = [DeliveryStatus.None, DeliveryStatus.Pending, DeliveryStatus.Processing, DeliveryStatus.Ready, DeliveryStatus.Downloaded, DeliveryStatus.Completed];
        DeliveryStatus[] recovery = [DeliveryStatus.Processing, DeliveryStatus.Retrying, DeliveryStatus.Processing, DeliveryStatus.Failed, DeliveryStatus.Escalated, DeliveryStatus.Ready];

        foreach (var path in new[] { happy, recovery })
            for (var i = 1; i < path.Length; i++)
                Assert.True(DeliveryStateMachine.CanMove(path[i - 1], path[i]), $"{path[i - 1]} → {path[i]}");
        Assert.False(DeliveryStateMachine.CanMove(DeliveryStatus.Ready, DeliveryStatus.Processing));
        Assert.False(DeliveryStateMachine.CanMove(DeliveryStatus.Retrying, DeliveryStatus.Ready));
    }
}
