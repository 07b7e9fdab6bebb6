using Integration.Erp.Sales;

namespace Integration.Erp.Tests.Sales;

/// <summary>A refund paid back through several accounts: parts in the shares' proportions, to the currency's precision, adding up to the total.</summary>
public sealed class RefundPartsTests
{
    [Theory]
    // 100.000 KWD (3 decimals) over shares of 1 and 2: 33.333 and 66.667, not 33.33 and 66.67 with the rest on one.
    [InlineData(3, "100.000", "33.333", "66.667")]
    [InlineData(2, "100.00", "33.33", "66.67")]
    // A currency without decimals: whole units.
    [InlineData(0, "100", "33", "67")]
    public void Parts_are_in_the_shares_proportions_to_the_currencys_precision(int precision, string total, string card, string giftCard)
    {
        var parts = RefundParts.Of("1130", [new PaymentInput("1130", 1m), new PaymentInput("2130", 2m)], Parse(total), precision);

        Assert.Equal([("1130", Parse(card)), ("2130", Parse(giftCard))], parts);
    }

    [Fact]
    public void One_account_takes_it_all()
    {
        Assert.Equal([("1130", 57.5m)], RefundParts.Of("1130", null, 57.5m, 2));
    }

    private static decimal Parse(string text) => decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}
