using Integration.Erp.Stock;

namespace Integration.Erp.Tests.Stock;

public sealed class ValuationTests
{
    // Receipts of (qty, rate) then one issue: expected value taken out and what remains.
    [Theory]
    [InlineData("Moving Average", 10, 100, 10, 130, 5, -575, 15, 1725)]
    [InlineData("FIFO", 10, 100, 10, 130, 15, -1650, 5, 650)]
    [InlineData("Moving Average", 3, 10, 0, 0, 3, -30, 0, 0)]
    [InlineData("FIFO", 4, 2.5, 6, 3.1, 5, -13.1, 5, 15.5)]
    [InlineData("Moving Average", 3, 1, 3, 2, 1, -1.5, 5, 7.5)]
    public void Issue_takes_value_by_the_valuation_method(
        string method, decimal q1, decimal r1, decimal q2, decimal r2, decimal issue, decimal expectedChange, decimal qtyAfter, decimal valueAfter)
    {
        var state = Valuation.Receive(StockState.Empty, q1, r1, method, 2).After;
        if (q2 > 0)
        {
            state = Valuation.Receive(state, q2, r2, method, 2).After;
        }

        var (after, change) = Valuation.Issue(state, issue, method, 2);

        Assert.Equal(expectedChange, change);
        Assert.Equal(qtyAfter, after.Qty);
        Assert.Equal(valueAfter, after.Value);
    }

    [Fact]
    public void Moving_average_rounds_each_issue_and_the_last_one_takes_the_remainder()
    {
        var state = Valuation.Receive(StockState.Empty, 3, 10m / 3m, Valuation.MovingAverage, 2).After; // 10.00 for 3

        var first = Valuation.Issue(state, 1, Valuation.MovingAverage, 2);
        var second = Valuation.Issue(first.After, 1, Valuation.MovingAverage, 2);
        var last = Valuation.Issue(second.After, 1, Valuation.MovingAverage, 2);

        Assert.Equal([-3.33m, -3.33m, -3.34m], new[] { first.ValueChange, second.ValueChange, last.ValueChange });
        Assert.Equal(0m, last.After.Value);
    }

    [Fact]
    public void Fifo_issue_beyond_stock_owes_a_negative_lot_that_the_next_receipt_settles()
    {
        var state = Valuation.Receive(StockState.Empty, 2, 50, Valuation.Fifo, 2).After;

        var (negative, change) = Valuation.Issue(state, 5, Valuation.Fifo, 2);
        var (settled, settledChange) = Valuation.Receive(negative, 10, 60, Valuation.Fifo, 2);

        Assert.Equal(-250m, change);
        Assert.Equal(-3m, negative.Qty);
        Assert.Equal(new StockLot(-3, 50), Assert.Single(negative.Lots));
        Assert.Equal(7m, settled.Qty);
        Assert.Equal(new StockLot(7, 60), Assert.Single(settled.Lots));
        // The 3 owed come in at the 50 they went out at, the other 7 at 60: the stock is worth what its lots say.
        Assert.Equal(570m, settledChange);
        Assert.Equal(420m, settled.Value);
    }

    // Allowed negative stock: 1 received at 100, 3 issued (-2 at 100), then receipts of (qty, rate) one after the other.
    [Theory]
    [InlineData("Moving Average", 1, 120, 100, -1, -100, 100)] // part of what is owed: it comes in at the 100 it went out at
    [InlineData("Moving Average", 2, 120, 200, 0, 0, 100)] // all of it: nothing left on the stock account
    [InlineData("Moving Average", 5, 120, 560, 3, 360, 120)] // the rest at its own rate
    [InlineData("FIFO", 1, 120, 100, -1, -100, 100)]
    [InlineData("FIFO", 2, 120, 200, 0, 0, 100)]
    [InlineData("FIFO", 5, 120, 560, 3, 360, 120)]
    public void A_receipt_fills_stock_issued_short_at_the_rate_it_went_out_at(
        string method, decimal qty, decimal rate, decimal expectedChange, decimal qtyAfter, decimal valueAfter, decimal rateAfter)
    {
        var received = Valuation.Receive(StockState.Empty, 1, 100, method, 2).After;
        var negative = Valuation.Issue(received, 3, method, 2).After;

        var (after, change) = Valuation.Receive(negative, qty, rate, method, 2);

        Assert.Equal((-2m, -200m), (negative.Qty, negative.Value));
        Assert.Equal(expectedChange, change);
        Assert.Equal(qtyAfter, after.Qty);
        Assert.Equal(valueAfter, after.Value);
        Assert.Equal(rateAfter, after.Rate);
    }

    [Fact]
    public void Reconciliation_replaces_quantity_and_rate_and_books_the_difference()
    {
        var state = Valuation.Receive(StockState.Empty, 10, 20, Valuation.Fifo, 2).After;

        var (after, change) = Valuation.Reconcile(state, 8, 21, Valuation.Fifo, 2);

        Assert.Equal(168m - 200m, change);
        Assert.Equal(8m, after.Qty);
        Assert.Equal(new StockLot(8, 21), Assert.Single(after.Lots));
    }
}
