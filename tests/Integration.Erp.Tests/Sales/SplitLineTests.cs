using Integration.Erp.Sales;
using Microsoft.Extensions.DependencyInjection;
using static Integration.Erp.Tests.ErpHost;

namespace Integration.Erp.Tests.Sales;

/// <summary>
/// A store line whose units left two warehouses (Shopify split it over two locations) is two invoice lines of one
/// source line id: what comes back of it, by refund or by edit, is shared out over them.
/// </summary>
public sealed class SplitLineTests(ErpHost erp) : IClassFixture<ErpHost>
{
    private const string Line = "gid://shopify/LineItem/8801";

    private SalesDocuments Documents => erp.Services.GetRequiredService<SalesDocuments>();

    [Fact]
    public async Task A_return_of_a_split_line_credits_the_part_of_the_warehouse_its_units_come_back_to_first_then_the_other()
    {
        var (company, invoice) = await SplitAsync("8801");

        // Two come back to the Cairo shop: its part (2 units) takes both.
        var (first, _) = await Documents.CreateReturnAsync(new SalesReturnRequest(company, invoice.Id, On(5, 3),
            [new ReturnLineInput(2, SourceLineId: Line, Warehouse: "CAIRO-WH")], Source: Source("R8801-1")), CancellationToken.None);
        Assert.Equal([("2", 2m, "CAIRO-WH")], first.Lines.Select(l => (l.SourceLineId, l.Qty, l.Warehouse)));

        // One more, said to come back to the Cairo shop too: that part has none left, the main warehouse's part gives it
        // (its units back where they are said to come, at their cost).
        var (second, _) = await Documents.CreateReturnAsync(new SalesReturnRequest(company, invoice.Id, On(5, 3),
            [new ReturnLineInput(1, SourceLineId: Line, Warehouse: "CAIRO-WH")], Source: Source("R8801-2")), CancellationToken.None);
        Assert.Equal([("1", 1m, "CAIRO-WH")], second.Lines.Select(l => (l.SourceLineId, l.Qty, l.Warehouse)));

        // Nothing is left of the line (nor of the invoice): a fourth unit is refused.
        var refused = await Assert.ThrowsAsync<Integration.Erp.ErpRuleException>(() => Documents.CreateReturnAsync(new SalesReturnRequest(company, invoice.Id, On(5, 3),
            [new ReturnLineInput(1, SourceLineId: Line)], Source: Source("R8801-3")), CancellationToken.None));
        Assert.Equal("already-returned", refused.Code);
        Assert.Equal(114m * 3, first.GrandTotal + second.GrandTotal);
    }

    [Fact]
    public async Task An_edit_reported_part_by_part_credits_only_what_the_parts_together_lack()
    {
        var (company, invoice) = await SplitAsync("8802");

        // The store counts 1 at each location now (the order read splits the line as the invoice did): one unit off.
        var edited = await Documents.CreditEditedOffAsync(new EditedOffRequest(company, invoice.Id, On(5, 3),
            [new EditedLine(Line, 1), new EditedLine(Line, 1)], Source("8802")), CancellationToken.None);

        Assert.Equal(1m, edited.Document!.Lines.Sum(l => l.Qty));
    }

    [Fact]
    public async Task Units_an_edit_adds_to_a_split_line_are_counted_against_the_parts_together_and_invoiced_once()
    {
        var (company, invoice) = await SplitAsync("8803");

        // The edit raised the line from 3 to 5 (2 now ship from the main warehouse, 3 from the Cairo shop): 2 more, once.
        SalesLineInput[] parts =
        [
            new("B", 2, 114m, TaxRate: 14m, Warehouse: "MAIN-WH", SourceLineId: Line),
            new("B", 3, 114m, TaxRate: 14m, Warehouse: "CAIRO-WH", SourceLineId: Line),
        ];
        var added = await Documents.InvoiceEditAddedAsync(new EditAddedRequest(company, invoice.Id, On(5, 3), parts, Source("8803"), new ReceivedPayment("1130", 114m * 5)), CancellationToken.None);

        var line = Assert.Single(added.Invoice!.Lines);
        Assert.Equal((2m, "CAIRO-WH"), (line.Qty, line.Warehouse));
        Assert.Equal(228m, added.Invoice.GrandTotal);
    }

    private static DocumentSource Source(string id) => new("shopify", "retail-eg.myshopify.com", id);

    // Three wallets of one store line: one from the main warehouse, two from the Cairo shop, paid in full.
    private async Task<(string Company, SalesDocument Invoice)> SplitAsync(string orderId)
    {
        var company = await WalletShop.CreateAsync(erp);
        await erp.PostAsync("/api/erp/stock-entries", new { company, purpose = "Receipt", postingDate = On(5, 1), lines = new object[] { new { sku = "B", qty = 5, rate = 50, warehouse = "CAIRO-WH" } } });
        var request = WalletShop.Invoice(company, Source(orderId)) with
        {
            Lines =
            [
                new SalesLineInput("B", 1, 114m, TaxRate: 14m, Warehouse: "MAIN-WH", SourceLineId: Line),
                new SalesLineInput("B", 2, 114m, TaxRate: 14m, Warehouse: "CAIRO-WH", SourceLineId: Line),
            ],
        };
        var posted = await Documents.CreateInvoiceAsync(request, [new InvoicePayment("1130", null, Source(orderId))], CancellationToken.None);
        return (company, posted.Invoice);
    }
}
