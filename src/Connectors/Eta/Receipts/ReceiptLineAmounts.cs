using Integration.Connectors.Eta.Canonical;

namespace Integration.Connectors.Eta.Receipts;

/// <summary>
/// The amounts of one receipt line, each rounded once with <see cref="EtaAmount.Round"/> and derived from rounded values
/// so that ETA's line equations hold exactly: totalSale = quantity × unitPrice, netSale = totalSale − commercial discount,
/// T1 = (netSale + valueDifference) × rate / 100, total = netSale + taxes − item discounts.
/// </summary>
internal sealed record ReceiptLineAmounts(
    decimal Quantity, decimal UnitPrice, decimal TotalSale, decimal CommercialDiscount, decimal NetSale, decimal ValueDifference,
    decimal TaxRate, decimal TaxAmount, decimal ItemDiscount, decimal Total)
{
    public static ReceiptLineAmounts Of(ReceiptDocumentLine line, bool taxesIncluded)
    {
        // Returns may carry negative quantities and amounts; a receipt line is always positive.
        var quantity = EtaAmount.Round(Math.Abs(line.Qty));
        var taxRate = EtaAmount.Round(StatutoryRate(Math.Abs(line.TaxRate), Math.Abs(line.NetAmount), Math.Abs(line.TaxAmount)));
        var rate = Math.Abs(line.Rate);
        var unitPrice = EtaAmount.Round(taxesIncluded ? rate / (1 + (taxRate / 100m)) : rate);
        var totalSale = EtaAmount.Round(quantity * unitPrice);
        // The ERP's net already has line and document discounts off; the difference is the commercial discount.
        // When the ERP's net rounds above totalSale there is no discount and netSale is totalSale (the equation wins).
        var difference = EtaAmount.Round(totalSale - Math.Abs(line.NetAmount));
        var discount = difference > 0 ? difference : 0m;
        var netSale = EtaAmount.Round(totalSale - discount);
        const decimal valueDifference = 0m;
        var taxAmount = EtaAmount.Round((netSale + valueDifference) * taxRate / 100m);
        const decimal itemDiscount = 0m;
        var total = EtaAmount.Round(netSale + taxAmount - itemDiscount);
        return new ReceiptLineAmounts(quantity, unitPrice, totalSale, discount, netSale, valueDifference, taxRate, taxAmount, itemDiscount, total);
    }

    private static readonly decimal[] VatRates = [14m, 5m];

    // Egypt's VAT rates are whole percents (14, 5, 0). A store that works a line's rate out from its rounded amounts
    // (WooCommerce: 1.23 of tax on 8.77 is 14.03 %) is off by a few hundredths, or more on a cheap line (0.12 on 0.88
    // is 13.64 %): the receipt declares the rate in force, the one giving the line's tax to within a piastre (a
    // return's share of a line's tax is rounded on its own: one unit of 3 x 0.30 with 0.13 of tax is 0.30 and 0.05),
    // and its tax follows from it (a fraction of a piastre from the invoice's).
    private static decimal StatutoryRate(decimal rate, decimal net, decimal tax)
    {
        var whole = Math.Round(rate, MidpointRounding.AwayFromZero);
        if (Math.Abs(rate - whole) <= 0.1m || net == 0)
        {
            return Math.Abs(rate - whole) <= 0.1m ? whole : rate;
        }

        foreach (var vat in VatRates.OrderBy(v => Math.Abs(v - rate)))
        {
            if (Math.Abs(Math.Round(net * vat / 100m, 2, MidpointRounding.AwayFromZero) - tax) <= 0.01m)
            {
                return vat;
            }
        }

        return rate;
    }
}
