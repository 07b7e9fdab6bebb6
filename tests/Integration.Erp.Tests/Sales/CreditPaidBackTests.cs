using Integration.Erp.Sales;

namespace Integration.Erp.Tests.Sales;

/// <summary>How much of a credit note a store's refund paid back: what the store says went back, the rest the customer's credit.</summary>
public sealed class CreditPaidBackTests
{
    [Theory]
    // The store does not say: the note is paid back whole.
    [InlineData("123.12", null, 1, "123.12")]
    // An exchange for a cheaper item: only the difference went back.
    [InlineData("123.12", "23.12", 1, "23.12")]
    // An even exchange: nothing went back.
    [InlineData("123.12", "0", 1, "0")]
    // The store rounded two lines' shares a cent lower each than the ERP: the note is paid back whole, not left 0.02 open.
    [InlineData("256.50", "256.48", 2, "256.50")]
    // A cent more than the lines' rounding can explain is money kept.
    [InlineData("256.50", "256.47", 2, "256.47")]
    // More money than the note (a goodwill part the order's overpayment covered elsewhere): the note, no more.
    [InlineData("100.00", "150.00", 1, "100.00")]
    public void No_more_than_the_money_is_paid_back_beyond_the_lines_rounding(string total, string? money, int lines, string paid)
    {
        Assert.Equal(Parse(paid), CreditPaidBack.Of(Parse(total), money is null ? null : Parse(money), CreditPaidBack.Tolerance(lines)));
    }

    private static decimal Parse(string text) => decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}
