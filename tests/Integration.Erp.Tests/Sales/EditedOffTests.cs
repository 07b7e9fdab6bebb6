using Integration.Erp.Sales;
using Microsoft.Extensions.DependencyInjection;
using static Integration.Erp.Tests.ErpHost;

namespace Integration.Erp.Tests.Sales;

/// <summary>
/// <see cref="SalesDocuments.CreditEditedOffAsync"/>: units a store's edit took off an invoiced order are credited once
/// (stock back), however often the edit is reported, and their money is the customer's credit to pay back.
/// </summary>
public sealed class EditedOffTests(ErpHost erp) : IClassFixture<ErpHost>
{
    private SalesDocuments Documents => erp.Services.GetRequiredService<SalesDocuments>();

    [Fact]
    public async Task Units_edited_off_are_credited_once_each_and_their_money_can_be_paid_back()
    {
        var (company, invoice) = await ThreeWalletsAsync("7001");
        var order = Source("7001");

        // 3 sold, the store now counts 2: one credited. The same count again, or an older one (3), credits nothing more.
        var first = await Documents.CreditEditedOffAsync(Edit(company, invoice.Id, order, 2), CancellationToken.None);
        var again = await Documents.CreditEditedOffAsync(Edit(company, invoice.Id, order, 2), CancellationToken.None);
        var older = await Documents.CreditEditedOffAsync(Edit(company, invoice.Id, order, 3), CancellationToken.None);
        // A later edit down to 1 credits the one more.
        var second = await Documents.CreditEditedOffAsync(Edit(company, invoice.Id, order, 1), CancellationToken.None);

        Assert.True(first.Created);
        Assert.Equal((1m, 114m), (Assert.Single(first.Document!.Lines).Qty, first.Document.GrandTotal));
        Assert.Equal("7001:edit:1", first.Document.SourceId);
        // Nothing new: the latest credit note again (its receipt may still be due), not a new one.
        Assert.Equal((first.Document.Id, false), (again.Document!.Id, again.Created));
        Assert.Equal((first.Document.Id, false), (older.Document!.Id, older.Created));
        Assert.True(second.Created);
        Assert.Equal(("7001:edit:2", 1m), (second.Document!.SourceId, Assert.Single(second.Document.Lines).Qty));
        Assert.Equal(10m - 3m + 2m, await erp.ScalarAsync<decimal>("SELECT sum(qty_change) FROM erp.stock_ledger_entry WHERE company = @company AND sku = 'B'", new { company }));
        Assert.Equal(-228m, (await Documents.GetAsync(invoice.Id, CancellationToken.None)).Outstanding);
        Assert.Equal(228m, await Documents.OverpaidAsync(company, invoice.Id, CancellationToken.None));

        var refund = await Documents.RefundOverpaymentAsync(new OverpaymentRefundRequest(company, invoice.Id, On(5, 4), "1130", 228m, Source("R7001")), CancellationToken.None);
        Assert.Equal(228m, refund.Refunded);
        Assert.Equal(0m, (await Documents.GetAsync(invoice.Id, CancellationToken.None)).Outstanding);
    }

    [Fact]
    public async Task Lines_the_invoice_does_not_have_and_counts_above_it_credit_nothing()
    {
        var (company, invoice) = await ThreeWalletsAsync("7002");

        var none = await Documents.CreditEditedOffAsync(new EditedOffRequest(company, invoice.Id, On(5, 3),
            [new EditedLine("gid://shopify/LineItem/7002", 5), new EditedLine("gid://shopify/LineItem/added", 0)], Source("7002")), CancellationToken.None);

        Assert.Equal((null, false), (none.Document, none.Created));
        Assert.Equal(0, await erp.CountAsync("SELECT count(*) FROM erp.sales_document WHERE company = @company AND doc_type = 'Sales Return'", new { company }));
    }

    private static DocumentSource Source(string id) => new("shopify", "retail-eg.myshopify.com", id);

    private static EditedOffRequest Edit(string company, long invoiceId, DocumentSource order, decimal kept) =>
        new(company, invoiceId, On(5, 3), [new EditedLine($"gid://shopify/LineItem/{order.Id}", kept)], order);

    // Three wallets sold on one line of a store's order, paid in full.
    private async Task<(string Company, SalesDocument Invoice)> ThreeWalletsAsync(string orderId)
    {
        var company = await WalletShop.CreateAsync(erp);
        var request = WalletShop.Invoice(company, Source(orderId)) with { Lines = [new SalesLineInput("B", 3, 114m, TaxRate: 14m, SourceLineId: $"gid://shopify/LineItem/{orderId}")] };
        var posted = await Documents.CreateInvoiceAsync(request, [new InvoicePayment("1130", null, Source(orderId))], CancellationToken.None);
        return (company, posted.Invoice);
    }
}
