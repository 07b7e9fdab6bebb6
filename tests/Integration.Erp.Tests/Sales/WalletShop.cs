using Integration.Erp.Sales;
using static Integration.Erp.Tests.ErpHost;

namespace Integration.Erp.Tests.Sales;

/// <summary>A company selling one item, a wallet (B) at 114 VAT included, to one customer (CUST-1): a store order's books.</summary>
internal static class WalletShop
{
    public static async Task<string> CreateAsync(ErpHost erp)
    {
        var company = await erp.NewCompanyAsync();
        await erp.PostAsync("/api/erp/items", new { company, sku = "B", name = "Wallet" });
        await erp.PostAsync("/api/erp/stock-entries", new { company, purpose = "Receipt", postingDate = On(5, 1), lines = new object[] { new { sku = "B", qty = 10, rate = 40, warehouse = "MAIN-WH" } } });
        await erp.PostAsync("/api/erp/customers", new { company, id = "CUST-1", name = "Mona Hassan", email = "mona@example.com" });
        return company;
    }

    /// <summary>The invoice of one wallet sold: 114.00.</summary>
    public static SalesInvoiceRequest Invoice(string company, DocumentSource source) =>
        new(company, "CUST-1", On(5, 2), [new SalesLineInput("B", 1, 114m, TaxRate: 14m)], "MAIN-WH", TaxesIncluded: true, Source: source);
}
