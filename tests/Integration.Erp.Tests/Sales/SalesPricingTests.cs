using Integration.Erp.Sales;

namespace Integration.Erp.Tests.Sales;

public sealed class SalesPricingTests
{
    [Fact]
    public void Document_discount_is_spread_by_amount_and_tax_is_rounded_per_line()
    {
        var priced = SalesPricing.Price(
        [
            new SalesLineInput("A", 2, 250, DiscountAmount: 50),
            new SalesLineInput("B", 3, 100, TaxRate: 5),
            new SalesLineInput(null, 1, 50, IncomeAccount: "4200"),
        ], documentDiscount: 100, taxesIncluded: false, precision: 2);

        Assert.Equal([393.75m, 262.50m, 43.75m], priced.Select(l => l.Net));
        Assert.Equal([55.13m, 13.13m, 6.13m], priced.Select(l => l.Tax));
        Assert.Equal([106.25m, 37.50m, 6.25m], priced.Select(l => l.Discount));
        Assert.Equal(774.39m, priced.Sum(l => l.Total));
    }

    [Theory]
    [InlineData(114, 14, 100, 14)]
    [InlineData(100, 14, 87.72, 12.28)]
    [InlineData(99.99, 0, 99.99, 0)]
    public void Prices_that_include_tax_split_into_net_and_tax_that_add_up(decimal price, decimal rate, decimal net, decimal tax)
    {
        var line = Assert.Single(SalesPricing.Price([new SalesLineInput("X", 1, price, TaxRate: rate)], 0, taxesIncluded: true, precision: 2));

        Assert.Equal(net, line.Net);
        Assert.Equal(tax, line.Tax);
        Assert.Equal(price, line.Total);
    }

    [Fact]
    public void A_document_discount_leaves_a_free_line_at_nothing_whatever_its_place()
    {
        var priced = SalesPricing.Price(
        [
            new SalesLineInput("A", 1, 10), new SalesLineInput("B", 1, 10), new SalesLineInput("C", 1, 10), new SalesLineInput("GIFT", 1, 0),
        ], documentDiscount: 1, taxesIncluded: true, precision: 2);

        Assert.Equal([0.34m, 0.33m, 0.33m, 0m], priced.Select(l => l.Discount));
        Assert.Equal((0m, 0m), (priced[3].Net, priced[3].Tax));
        Assert.Equal(29m, priced.Sum(l => l.Total));
    }

    [Fact]
    public void Return_shares_add_up_to_the_line_exactly()
    {
        var shares = new[] { 1m, 1m, 1m }.Select((q, i) => SalesPricing.ReturnShare(100m, 3, i, q, 2)).ToList();

        Assert.Equal([33.33m, 33.34m, 33.33m], shares);
        Assert.Equal(100m, shares.Sum());
    }

    [Theory]
    [InlineData("0.04", new[] { "2.06", "0.48", "2.32", "0.31", "2.17", "2.06", "2.82", "2.15" })]
    [InlineData("10", new[] { "20", "20", "20", "0" })]
    [InlineData("100", new[] { "30", "30" })]
    public void A_spread_adds_up_to_the_amount_or_what_the_values_hold_and_never_passes_a_value(string amount, string[] values)
    {
        var given = decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture);
        var parsed = values.Select(v => decimal.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();

        var shares = SalesPricing.Spread(given, parsed, 2);

        Assert.Equal(Math.Min(given, parsed.Sum()), shares.Sum());
        Assert.All(shares.Zip(parsed), p => Assert.InRange(p.First, 0m, p.Second));
    }
}
