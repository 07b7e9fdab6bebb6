using Integration.Erp.Sales;

namespace Integration.Erp.Tests.Sales;

/// <summary>A line's tax given by the store (converted from another currency, rounded its way) is taken as it is.</summary>
public sealed class GivenTaxPricingTests
{
    [Theory]
    // 14 % of 1234.57 is 172.84; the store charged 172.85 (it converted the presentment tax); no tax given: computed.
    [InlineData(false, 1234.57, "172.85", 1234.57, 172.85)]
    [InlineData(false, 1234.57, null, 1234.57, 172.84)]
    // Prices with tax: the net is what is left after the given tax.
    [InlineData(true, 114.00, "14.01", 99.99, 14.01)]
    [InlineData(false, 500.00, "0", 500.00, 0)]
    // Finer than the currency: taken to it, as the ledger will post it.
    [InlineData(false, 100.00, "14.005", 100.00, 14.01)]
    [InlineData(true, 114.00, "13.996", 100.00, 14.00)]
    public void A_given_tax_amount_is_the_line_tax(bool taxesIncluded, decimal rate, string? given, decimal net, decimal tax)
    {
        var taxAmount = given is null ? (decimal?)null : decimal.Parse(given, System.Globalization.CultureInfo.InvariantCulture);

        var line = Assert.Single(SalesPricing.Price([new SalesLineInput("X", 1, rate, TaxRate: 14, TaxAmount: taxAmount)], 0, taxesIncluded, precision: 2));

        Assert.Equal(net, line.Net);
        Assert.Equal(tax, line.Tax);
        Assert.Equal(14m, line.TaxRate);
    }

    [Theory]
    // A store's rate worked out from rounded amounts: the rate in force behind it.
    [InlineData(14.03, 8.77, 1.23, 14)]
    [InlineData(13.64, 0.88, 0.12, 14)]
    [InlineData(4.8, 2.08, 0.10, 5)]
    [InlineData(14, 100, 0, 0)]
    [InlineData(12.5, 100, 12.5, 12.5)]
    public void A_stated_rate_is_the_vat_rate_in_force_behind_it(decimal rate, decimal net, decimal tax, decimal inForce)
    {
        Assert.Equal(inForce, SalesPricing.StatedRate(rate, net, tax, 2));
    }

    [Fact]
    public void A_document_discount_finer_than_the_currency_is_shared_out_to_it()
    {
        var lines = SalesPricing.Price([new SalesLineInput("X", 1, 100m, TaxRate: 0), new SalesLineInput("Y", 1, 100m, TaxRate: 0)], 10.005m, false, precision: 2);

        Assert.Equal(10.01m, lines.Sum(l => l.Discount));
        Assert.All(lines, l => Assert.Equal(l.Net, Math.Round(l.Net, 2)));
    }
}
