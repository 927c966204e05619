using Courier.Abstractions.Orders;

namespace Courier.Grains.Tests.Orders;

public sealed class OrderStateMachineTests
{
    // The business rules, written out independently of the production table.
    private static readonly Dictionary<OrderStatus, OrderStatus[]> Expected = new()
    {
        [OrderStatus.None] = [OrderStatus.PendingPayment, OrderStatus.Cancelled],
        [OrderStatus.PendingPayment] = [OrderStatus.Paid, OrderStatus.PaymentFailed, OrderStatus.Expired, OrderStatus.Cancelled, OrderStatus.OnHold],
        [OrderStatus.Paid] = [OrderStatus.Fulfilling, OrderStatus.OnHold, OrderStatus.PartiallyRefunded, OrderStatus.Refunded],
        [OrderStatus.Fulfilling] = [OrderStatus.Fulfilled, OrderStatus.OnHold, OrderStatus.PartiallyRefunded, OrderStatus.Refunded],
        [OrderStatus.Fulfilled] = [OrderStatus.Completed, OrderStatus.OnHold, OrderStatus.PartiallyRefunded, OrderStatus.Refunded],
        [OrderStatus.Completed] = [OrderStatus.OnHold, OrderStatus.PartiallyRefunded, OrderStatus.Refunded],
        [OrderStatus.PaymentFailed] = [OrderStatus.Paid, OrderStatus.OnHold],
        [OrderStatus.Expired] = [OrderStatus.Paid, OrderStatus.OnHold],
        [OrderStatus.Cancelled] = [OrderStatus.OnHold],
        [OrderStatus.OnHold] = [OrderStatus.Paid, OrderStatus.Fulfilling, OrderStatus.Fulfilled, OrderStatus.Completed, OrderStatus.Cancelled, OrderStatus.PartiallyRefunded, OrderStatus.Refunded],
        [OrderStatus.PartiallyRefunded] = [OrderStatus.PartiallyRefunded, OrderStatus.Refunded, OrderStatus.OnHold, OrderStatus.Completed],
        [OrderStatus.Refunded] = [],
    };

    public static TheoryData<OrderStatus, OrderStatus> AllowedMoves()
    {
        var data = new TheoryData<OrderStatus, OrderStatus>();
        foreach (var (from, targets) in Expected)
            foreach (var to in targets) data.Add(from, to);
        return data;
    }

    public static TheoryData<OrderStatus, OrderStatus> ForbiddenMoves()
    {
        var data = new TheoryData<OrderStatus, OrderStatus>();
        foreach (var from in Enum.GetValues<OrderStatus>())
            foreach (var to in Enum.GetValues<OrderStatus>().Where(to => !Expected[from].Contains(to))) data.Add(from, to);
        return data;
    }

    [Theory]
    [MemberData(nameof(AllowedMoves))]
    public void EnsureAllowed_move_in_the_table_is_allowed(OrderStatus from, OrderStatus to)
    {
        OrderStateMachine.EnsureAllowed(from, to);

        Assert.True(OrderStateMachine.CanMove(from, to));
        Assert.Contains(to, OrderStateMachine.NextFrom(from));
    }

    [Theory]
    [MemberData(nameof(ForbiddenMoves))]
    public void EnsureAllowed_move_not_in_the_table_throws_naming_both_statuses(OrderStatus from, OrderStatus to)
    {
        var error = Assert.Throws<IllegalTransitionException>(() => OrderStateMachine.EnsureAllowed(from, to));

        Assert.False(OrderStateMachine.CanMove(from, to));
        Assert.Equal($"An order cannot move from {from} to {to}.", error.Message);
    }

    [Fact]
    public void NextFrom_every_status_lists_exactly_the_expected_moves()
    {
        foreach (var status in Enum.GetValues<OrderStatus>())
            Assert.Equal(Expected[status].Order(), OrderStateMachine.NextFrom(status).Order());
    }

    [Fact]
    public void Refunded_is_terminal()
    {
        var next = OrderStateMachine.NextFrom(OrderStatus.Refunded);

        Assert.Empty(next);
        Assert.All(Enum.GetValues<OrderStatus>(), to => Assert.False(OrderStateMachine.CanMove(OrderStatus.Refunded, to)));
    }
}
