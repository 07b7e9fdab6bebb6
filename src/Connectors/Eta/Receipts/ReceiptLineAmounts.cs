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
        var taxRate = EtaAmount.Round(Math.Abs(line.TaxRate));
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
}
