using Integration.Erp.Sales;
using Microsoft.Extensions.DependencyInjection;
using static Integration.Erp.Tests.ErpHost;

namespace Integration.Erp.Tests.Sales;

/// <summary>
/// <see cref="SalesDocuments.CreateInvoiceAsync(SalesInvoiceRequest, IReadOnlyList{InvoicePayment}, CancellationToken)"/>,
/// what the flows' <c>Erp.CreateSalesInvoice</c> calls: a store order's invoice and the payments taken for it.
/// </summary>
public sealed class InvoiceWithPaymentsTests(ErpHost erp) : IClassFixture<ErpHost>
{
    private SalesDocuments Documents => erp.Services.GetRequiredService<SalesDocuments>();

    [Fact]
    public async Task A_new_invoice_and_its_payments_commit_in_one_transaction_and_a_redelivery_gets_the_same_documents()
    {
        var company = await WalletShop.CreateAsync(erp);
        var source = new DocumentSource("shopify", "retail-eg.myshopify.com", "5001");
        // A gift card pays part, the card the rest (amount: all that is left).
        DocumentSource Second() => source with { Id = "5001:2" };
        InvoicePayment[] payments = [new("1140", 50m, source, "gift card"), new("1130", null, Second(), "card")];

        var first = await Documents.CreateInvoiceAsync(WalletShop.Invoice(company, source), payments, CancellationToken.None);

        Assert.False(first.Existed);
        Assert.Equal("Paid", first.Invoice.Status);
        Assert.Equal(0m, first.Invoice.Outstanding);
        Assert.Equal(114m, first.Invoice.GrandTotal);
        Assert.Equal([50m, 64m], first.Payments.Select(p => p!.GrandTotal));
        Assert.Equal(["5001", "5001:2"], first.Payments.Select(p => p!.SourceId));
        // One transaction wrote the invoice, both payments and the invoice's paid state.
        Assert.Equal(1, await erp.CountAsync("SELECT count(DISTINCT xmin::text) FROM erp.sales_document WHERE company = @company", new { company }));
        Assert.Equal(0m, await erp.ScalarAsync<decimal>("SELECT coalesce(sum(debit - credit), 0) FROM erp.gl_entry WHERE company = @company AND account = '1150'", new { company }));

        var again = await Documents.CreateInvoiceAsync(WalletShop.Invoice(company, source), payments, CancellationToken.None);

        Assert.True(again.Existed);
        Assert.Equal(first.Invoice.Id, again.Invoice.Id);
        Assert.Equal(first.Payments.Select(p => p!.Id), again.Payments.Select(p => p!.Id));
        Assert.Equal(3, await erp.CountAsync("SELECT count(*) FROM erp.sales_document WHERE company = @company", new { company }));
    }

    [Fact]
    public async Task An_order_invoiced_unpaid_is_paid_by_a_later_call_once()
    {
        var company = await WalletShop.CreateAsync(erp);
        var source = new DocumentSource("shopify", "retail-eg.myshopify.com", "5002");
        var unpaid = await Documents.CreateInvoiceAsync(WalletShop.Invoice(company, source), [], CancellationToken.None);
        Assert.Equal("Unpaid", unpaid.Invoice.Status);
        Assert.Empty(unpaid.Payments);

        InvoicePayment[] payments = [new("1130", null, source, "card")];
        var paid = await Documents.CreateInvoiceAsync(WalletShop.Invoice(company, source), payments, CancellationToken.None);
        var again = await Documents.CreateInvoiceAsync(WalletShop.Invoice(company, source), payments, CancellationToken.None);

        Assert.True(paid.Existed);
        Assert.Equal("Paid", paid.Invoice.Status);
        Assert.Equal(114m, Assert.Single(paid.Payments)!.GrandTotal);
        Assert.Equal(paid.Payments[0]!.Id, again.Payments[0]!.Id);
        Assert.Equal(1, await erp.CountAsync("SELECT count(*) FROM erp.sales_document WHERE company = @company AND doc_type = 'Payment'", new { company }));
    }

    [Fact]
    public async Task A_payment_larger_than_the_invoice_is_refused_after_the_invoice_is_posted_and_a_zero_payment_makes_none()
    {
        var company = await WalletShop.CreateAsync(erp);
        var source = new DocumentSource("shopify", "retail-eg.myshopify.com", "5003");

        var refused = await Assert.ThrowsAsync<ErpRuleException>(() => Documents.CreateInvoiceAsync(WalletShop.Invoice(company, source), [new("1130", 115m, source)], CancellationToken.None));

        Assert.Equal("invalid-payment", refused.Code);
        Assert.Equal(1, await erp.CountAsync("SELECT count(*) FROM erp.sales_document WHERE company = @company AND doc_type = 'Sales Invoice'", new { company }));
        Assert.Equal(0, await erp.CountAsync("SELECT count(*) FROM erp.sales_document WHERE company = @company AND doc_type = 'Payment'", new { company }));

        var zero = new DocumentSource("shopify", "retail-eg.myshopify.com", "5004");
        var free = await Documents.CreateInvoiceAsync(WalletShop.Invoice(company, zero), [new("1130", 0m, zero)], CancellationToken.None);
        Assert.Null(Assert.Single(free.Payments));
        Assert.Equal("Unpaid", free.Invoice.Status);
    }

    [Fact]
    public async Task An_order_given_away_whole_is_invoiced_at_zero_its_stock_leaves_at_cost_and_comes_back_with_its_cancellation()
    {
        var company = await WalletShop.CreateAsync(erp);
        var source = new DocumentSource("woocommerce", "cairo", "5100");
        // Two wallets with a 100 % coupon: nothing to pay, two wallets out of the warehouse at 40 each.
        var request = new SalesInvoiceRequest(company, "CUST-1", On(5, 2), [new SalesLineInput("B", 2, 114m, DiscountAmount: 228m, TaxRate: 14m)], "MAIN-WH",
            TaxesIncluded: true, Source: source);

        var given = await Documents.CreateInvoiceAsync(request, [new("1130", 0m, source)], CancellationToken.None);

        Assert.Equal(0m, given.Invoice.GrandTotal);
        Assert.Equal("Paid", given.Invoice.Status);
        Assert.Null(Assert.Single(given.Payments));
        Assert.Equal(8m, await erp.ScalarAsync<decimal>("SELECT actual_qty FROM erp.bin WHERE company = @company AND sku = 'B' AND warehouse = 'MAIN-WH'", new { company }));
        Assert.Equal(80m, await erp.ScalarAsync<decimal>("SELECT coalesce(sum(debit - credit), 0) FROM erp.gl_entry WHERE company = @company AND account = '5100'", new { company }));
        Assert.Equal(320m, await erp.ScalarAsync<decimal>("SELECT coalesce(sum(debit - credit), 0) FROM erp.gl_entry WHERE company = @company AND account = '1160'", new { company }));

        // Cancelled in the store: the credit note is for nothing too, and the wallets come back at what they left at.
        var (note, _) = await Documents.CreateReturnAsync(new SalesReturnRequest(company, given.Invoice.Id, On(5, 3), [new ReturnLineInput(2, LineNo: 1)],
            RefundAccount: "1130", Source: source.Cancellation(), OffsetAmountsCredited: true), CancellationToken.None);

        Assert.Equal(0m, note.GrandTotal);
        Assert.Equal(10m, await erp.ScalarAsync<decimal>("SELECT actual_qty FROM erp.bin WHERE company = @company AND sku = 'B' AND warehouse = 'MAIN-WH'", new { company }));
        Assert.Equal(0m, await erp.ScalarAsync<decimal>("SELECT coalesce(sum(debit - credit), 0) FROM erp.gl_entry WHERE company = @company AND account = '5100'", new { company }));
        Assert.Equal(400m, await erp.ScalarAsync<decimal>("SELECT coalesce(sum(debit - credit), 0) FROM erp.gl_entry WHERE company = @company AND account = '1160'", new { company }));
        Assert.Equal(0m, await erp.ScalarAsync<decimal>("SELECT coalesce(sum(debit - credit), 0) FROM erp.gl_entry WHERE company = @company AND account = '1130'", new { company }));
    }

    [Fact]
    public async Task A_document_for_nothing_with_no_stock_is_refused_in_a_closed_period_like_one_with_value()
    {
        var company = await WalletShop.CreateAsync(erp);
        await erp.PostAsync($"/api/erp/fiscal-years/{company}/{Year}/close", new { date = On(1, 1) });
        var source = new DocumentSource("woocommerce", "cairo", "5102");
        // Gift wrapping with a 100 % coupon, dated in closed January: nothing to pay, no stock, and no place in that month.
        var request = new SalesInvoiceRequest(company, "CUST-1", On(1, 20), [new SalesLineInput(null, 1, 10m, DiscountAmount: 10m, TaxRate: 14m, IncomeAccount: "4200")], "MAIN-WH",
            Source: source);

        var refused = await Assert.ThrowsAsync<ErpRuleException>(() => Documents.CreateInvoiceAsync(request, [], CancellationToken.None));

        Assert.Equal("closed-period", refused.Code);
        Assert.Null(await Documents.FindBySourceAsync(company, SalesDocuments.Invoice, source, CancellationToken.None));
    }

    [Fact]
    public async Task Two_equal_halves_of_a_line_in_one_return_are_two_stock_rows()
    {
        var company = await WalletShop.CreateAsync(erp);
        var source = new DocumentSource("shopify", "retail-eg.myshopify.com", "5101");
        var sold = await Documents.CreateInvoiceAsync(WalletShop.Invoice(company, source) with { Lines = [new SalesLineInput("B", 4, 114m, TaxRate: 14m)] }, [], CancellationToken.None);

        var (note, _) = await Documents.CreateReturnAsync(new SalesReturnRequest(company, sold.Invoice.Id, On(5, 3), [new ReturnLineInput(1, LineNo: 1), new ReturnLineInput(1, LineNo: 1)]),
            CancellationToken.None);

        Assert.Equal("1,2", await erp.ScalarAsync<string>("SELECT string_agg(line_no::text, ',' ORDER BY line_no) FROM erp.stock_ledger_entry WHERE voucher_id = @voucher", new { voucher = note.VoucherId }));
        Assert.Equal(8m, await erp.ScalarAsync<decimal>("SELECT actual_qty FROM erp.bin WHERE company = @company AND sku = 'B' AND warehouse = 'MAIN-WH'", new { company }));
    }

    [Fact]
    public async Task An_invoice_in_a_foreign_currency_without_its_exchange_rate_is_refused()
    {
        var company = await WalletShop.CreateAsync(erp);
        var usd = WalletShop.Invoice(company, new DocumentSource("shopify", "retail-eg.myshopify.com", "5006")) with { Currency = "USD" };

        var refused = await Assert.ThrowsAsync<ErpRuleException>(() => Documents.CreateInvoiceAsync(usd, [], CancellationToken.None));

        Assert.Equal("exchange-rate-required", refused.Code);
        Assert.Equal(0m, await erp.ScalarAsync<decimal>("SELECT count(*) FROM erp.sales_document WHERE company = @company", new { company }));
    }

    [Fact]
    public async Task Part_payments_of_a_foreign_currency_invoice_leave_nothing_on_the_customers_receivable()
    {
        var company = await WalletShop.CreateAsync(erp);
        var source = new DocumentSource("shopify", "retail-eg.myshopify.com", "5005");
        // 114 USD at 48.3333: 5,510.00 EGP receivable; three payments of 38 USD convert to 1,836.67 each (5,510.01).
        var usd = WalletShop.Invoice(company, source) with { Currency = "USD", ExchangeRate = 48.3333m };
        var invoice = (await Documents.CreateInvoiceAsync(usd, [], CancellationToken.None)).Invoice;
        for (var i = 1; i <= 3; i++)
        {
            await Documents.CreatePaymentAsync(new PaymentRequest(company, invoice.Id, On(5, 3), "1130", 38m, source with { Id = $"5005:{i}" }), CancellationToken.None);
        }

        Assert.Equal(0m, await erp.ScalarAsync<decimal>(
            "SELECT coalesce(sum(debit - credit), 0) FROM erp.gl_entry WHERE company = @company AND account = '1150' AND party = 'CUST-1'", new { company }));
        // The bank took each payment at the rate; the cent the rounding left is on Round Off, not on the customer.
        Assert.Equal(5510.01m, await erp.ScalarAsync<decimal>("SELECT sum(debit) FROM erp.gl_entry WHERE company = @company AND account = '1130'", new { company }));
        Assert.Equal("Paid", (await Documents.GetAsync(invoice.Id, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task Credit_notes_that_clear_a_foreign_currency_invoice_leave_nothing_on_the_customers_receivable()
    {
        var company = await WalletShop.CreateAsync(erp);
        var source = new DocumentSource("shopify", "retail-eg.myshopify.com", "5007");
        // 30 USD at 48.4567: 1,453.70 EGP receivable; three credit notes of 10 USD convert to 484.57 each (1,453.71).
        var usd = WalletShop.Invoice(company, source) with { Currency = "USD", ExchangeRate = 48.4567m, Lines = [new SalesLineInput("B", 3, 10m, TaxRate: 0m)] };
        var invoice = (await Documents.CreateInvoiceAsync(usd, [], CancellationToken.None)).Invoice;
        for (var i = 1; i <= 3; i++)
        {
            await Documents.CreateReturnAsync(new SalesReturnRequest(company, invoice.Id, On(5, 3), [new ReturnLineInput(1, Sku: "B")], Source: source with { Id = $"5007/refund/{i}" }), CancellationToken.None);
        }

        Assert.Equal(0m, await erp.ScalarAsync<decimal>(
            "SELECT coalesce(sum(debit - credit), 0) FROM erp.gl_entry WHERE company = @company AND account = '1150' AND party = 'CUST-1'", new { company }));
        // Sales were debited at the rate for each note; the cent the rounding left is on Round Off, not on the customer.
        Assert.Equal(1453.71m, await erp.ScalarAsync<decimal>("SELECT sum(debit) FROM erp.gl_entry WHERE company = @company AND account = '4100'", new { company }));
        Assert.Equal("Returned", (await Documents.GetAsync(invoice.Id, CancellationToken.None)).Status);
    }
}
