using System.Net;
using Integration.Erp.Sales;
using Microsoft.Extensions.DependencyInjection;
using static Integration.Erp.Tests.ErpHost;

namespace Integration.Erp.Tests.Sales;

/// <summary>
/// An invoice paid more than it came to (a store's order edited down after payment): the excess is the customer's
/// credit on the receivable, and an overpayment refund pays it back, once, never more than was overpaid.
/// </summary>
public sealed class OverpaymentTests(ErpHost erp) : IClassFixture<ErpHost>
{
    private SalesDocuments Documents => erp.Services.GetRequiredService<SalesDocuments>();

    [Fact]
    public async Task A_payment_taking_its_overpayment_as_credit_leaves_the_excess_on_the_customers_receivable()
    {
        var (company, source) = (await WalletShop.CreateAsync(erp), Source("6001"));

        var posted = await Documents.CreateInvoiceAsync(WalletShop.Invoice(company, source), [new InvoicePayment("1130", 150m, source, OverpaymentAsCredit: true)], CancellationToken.None);

        Assert.Equal("Paid", posted.Invoice.Status);
        Assert.Equal(-36m, posted.Invoice.Outstanding);
        Assert.Equal(150m, Assert.Single(posted.Payments)!.GrandTotal);
        Assert.Equal(-36m, await ReceivableAsync(company));
        Assert.Equal(36m, await Documents.OverpaidAsync(company, posted.Invoice.Id, CancellationToken.None));
    }

    [Fact]
    public async Task An_overpayment_refund_pays_back_at_most_what_was_overpaid_once_per_source()
    {
        var (company, source) = (await WalletShop.CreateAsync(erp), Source("6002"));
        var invoice = (await Documents.CreateInvoiceAsync(WalletShop.Invoice(company, source), [new InvoicePayment("1130", 150m, source, OverpaymentAsCredit: true)], CancellationToken.None)).Invoice;

        // 50 asked back: 36 was overpaid, 36 is paid back; the caller credits the other 14 as it sees fit.
        var first = await Documents.RefundOverpaymentAsync(new OverpaymentRefundRequest(company, invoice.Id, On(5, 3), "1130", 50m, Source("R1")), CancellationToken.None);
        var again = await Documents.RefundOverpaymentAsync(new OverpaymentRefundRequest(company, invoice.Id, On(5, 3), "1130", 50m, Source("R1")), CancellationToken.None);
        var another = await Documents.RefundOverpaymentAsync(new OverpaymentRefundRequest(company, invoice.Id, On(5, 3), "1130", 10m, Source("R2")), CancellationToken.None);

        Assert.Equal(36m, first.Refunded);
        Assert.False(first.Existed);
        Assert.Equal(SalesDocuments.OverpaymentRefund, first.Document!.DocType);
        Assert.Equal((first.Document.Id, 36m, true), (again.Document!.Id, again.Refunded, again.Existed));
        Assert.Equal((null, 0m), (another.Document, another.Refunded));
        Assert.Equal(0m, (await Documents.GetAsync(invoice.Id, CancellationToken.None)).Outstanding);
        Assert.Equal(0m, await ReceivableAsync(company));
        Assert.Equal(150m - 36m, await erp.ScalarAsync<decimal>("SELECT sum(debit - credit) FROM erp.gl_entry WHERE company = @company AND account = '1130'", new { company }));
        Assert.Equal(0m, await Documents.OverpaidAsync(company, invoice.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Without_taking_it_as_credit_an_overpayment_is_refused_and_a_credit_notes_money_is_not_paid_back_as_one()
    {
        var (company, source) = (await WalletShop.CreateAsync(erp), Source("6003"));
        var invoice = (await Documents.CreateInvoiceAsync(WalletShop.Invoice(company, source), [new InvoicePayment("1130", 114m, source)], CancellationToken.None)).Invoice;

        var refused = await Assert.ThrowsAsync<ErpRuleException>(() =>
            Documents.CreatePaymentAsync(new PaymentRequest(company, invoice.Id, On(5, 3), "1130", 1m, Source("6003:2")), CancellationToken.None));
        Assert.Equal("invalid-payment", refused.Code);

        // A credit note whose money is not paid back yet leaves the customer a credit too, but not an overpaid one.
        await Documents.CreateReturnAsync(new SalesReturnRequest(company, invoice.Id, On(5, 4), [new ReturnLineInput(1, Sku: "B")], Source: Source("R3")), CancellationToken.None);
        Assert.Equal(-114m, (await Documents.GetAsync(invoice.Id, CancellationToken.None)).Outstanding);
        var none = await Documents.RefundOverpaymentAsync(new OverpaymentRefundRequest(company, invoice.Id, On(5, 4), "1130", 114m, Source("R3")), CancellationToken.None);
        Assert.Null(none.Document);
        Assert.Equal(0, await erp.CountAsync("SELECT count(*) FROM erp.sales_document WHERE company = @company AND doc_type = 'Overpayment Refund'", new { company }));

        // Its refund failed in the store: its money is kept as the customer's credit (once), and the refund made again,
        // money only, pays that back as an overpayment.
        var note = await erp.ScalarAsync<long>("SELECT id FROM erp.sales_document WHERE company = @company AND doc_type = 'Sales Return'", new { company });
        var (keptStatus, kept) = await erp.PostAsync($"/api/erp/sales-returns/{note}/keep-credit", new { company });
        var (_, keptAgain) = await erp.PostAsync($"/api/erp/sales-returns/{note}/keep-credit", new { company });
        Assert.Equal(HttpStatusCode.OK, keptStatus);
        Assert.True(kept.GetProperty("kept").GetBoolean());
        Assert.False(keptAgain.GetProperty("kept").GetBoolean());
        var paidBack = await Documents.RefundOverpaymentAsync(new OverpaymentRefundRequest(company, invoice.Id, On(5, 5), "1130", 114m, Source("R3-again")), CancellationToken.None);
        Assert.Equal(114m, paidBack.Refunded);
        Assert.Equal(0m, (await Documents.GetAsync(invoice.Id, CancellationToken.None)).Outstanding);
        // Its money is that credit now: recording the note paid back as well would pay it twice.
        var (_, paidNote) = await erp.PostAsync($"/api/erp/sales-returns/{note}/refund", new { company, account = "1130", postingDate = On(5, 6) });
        Assert.False(paidNote.GetProperty("recorded").GetBoolean());
        Assert.Equal(0m, (await Documents.GetAsync(invoice.Id, CancellationToken.None)).Outstanding);
        Assert.Equal(0m, await ReceivableAsync(company));
    }

    [Fact]
    public async Task The_api_pays_an_overpayment_back_and_refuses_a_nonpositive_amount()
    {
        var (company, source) = (await WalletShop.CreateAsync(erp), Source("6004"));
        var invoice = (await Documents.CreateInvoiceAsync(WalletShop.Invoice(company, source), [], CancellationToken.None)).Invoice;
        var (paid, _) = await erp.PostAsync("/api/erp/payments", new { company, invoiceId = invoice.Id, postingDate = On(5, 2), account = "1130", amount = 120m, overpaymentAsCredit = true });
        Assert.Equal(HttpStatusCode.Created, paid);

        var (status, body) = await erp.PostAsync("/api/erp/overpayment-refunds", new { company, invoiceId = invoice.Id, postingDate = On(5, 3), account = "1130", amount = 6m, source = Source("R4") });
        var (bad, problem) = await erp.PostAsync("/api/erp/overpayment-refunds", new { company, invoiceId = invoice.Id, postingDate = On(5, 3), account = "1130", amount = 0m });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(6m, body.GetProperty("refunded").GetDecimal());
        Assert.StartsWith("OPR-", body.GetProperty("document").GetProperty("docNo").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.Contains("positive", problem.ToString(), StringComparison.Ordinal);
    }

    private static DocumentSource Source(string id) => new("shopify", "retail-eg.myshopify.com", id);

    private Task<decimal> ReceivableAsync(string company) =>
        erp.ScalarAsync<decimal>("SELECT coalesce(sum(debit - credit), 0) FROM erp.gl_entry WHERE company = @company AND account = '1150' AND party = 'CUST-1'", new { company });
}
