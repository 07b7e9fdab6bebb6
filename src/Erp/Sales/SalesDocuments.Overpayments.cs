using Dapper;
using Integration.Erp.Companies;
using Integration.Erp.Ledger;
using Npgsql;

namespace Integration.Erp.Sales;

// Overpayments: an invoice paid more than it came to (a store's order edited down after it was paid). The excess is a
// credit on the customer's receivable; paying it back is not a credit note (nothing sold comes back, no VAT, no receipt).
public sealed partial class SalesDocuments
{
    /// <summary>
    /// What the customer is owed on the invoice outside any credit note's own refund: what its payments exceed it by and
    /// the credit notes of units an edit took off, less what was paid back of it already.
    /// </summary>
    public async Task<decimal> OverpaidAsync(string company, long invoiceId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<decimal>(Overpaid, new { company, invoiceId, Invoice, Payment, OverpaymentRefund });
    }

    /// <summary>
    /// Pays back out of the invoice's overpayment as much of <see cref="OverpaymentRefundRequest.Amount"/> as it holds:
    /// receivable debited, the paying account credited. Once per source: a second call answers with the first refund.
    /// Document is null when the invoice holds no overpayment; Refunded is what was paid back (the rest is the caller's).
    /// </summary>
    public async Task<(SalesDocument? Document, decimal Refunded, bool Existed)> RefundOverpaymentAsync(OverpaymentRefundRequest request, CancellationToken cancellationToken)
    {
        if (request.Amount <= 0)
        {
            throw new ErpRuleException("invalid-amount", "An overpayment refund is positive.", 400);
        }

        try
        {
            var (document, existed) = await IdempotentAsync(request.Company, OverpaymentRefund, request.Source,
                (connection, transaction) => RefundOverpaymentLockedAsync(connection, transaction, request, cancellationToken), cancellationToken);
            return (document, document.GrandTotal, existed);
        }
        catch (NothingOverpaidException)
        {
            return (null, 0m, false);
        }
    }

    private static async Task<(long Id, IReadOnlyList<string> Warnings)> RefundOverpaymentLockedAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, OverpaymentRefundRequest request, CancellationToken cancellationToken)
    {
        var company = await CompanyStore.GetAsync(connection, request.Company, transaction);
        await LockAsync(connection, transaction, company.Id, request.InvoiceId, Invoice);
        if (request.Source is { } source && await FindBySourceAsync(connection, transaction, company.Id, OverpaymentRefund, source) is not null)
        {
            throw new CreatedMeanwhileException();
        }

        var invoice = await GetAsync(connection, request.InvoiceId, transaction);
        var overpaid = await connection.ExecuteScalarAsync<decimal>(Overpaid, new { company = company.Id, invoiceId = invoice.Id, Invoice, Payment, OverpaymentRefund }, transaction);
        // Never more than the customer has on this invoice's receivable: a credit note's money not paid back yet is not the overpayment's.
        var refunded = Math.Min(request.Amount, Math.Min(overpaid, -invoice.Outstanding));
        if (refunded <= 0)
        {
            throw new NothingOverpaidException();
        }

        var date = request.PostingDate < invoice.PostingDate ? invoice.PostingDate : request.PostingDate;
        var (id, docNo, voucherId) = await InsertAsync(connection, transaction, company, OverpaymentRefund, "OPR", invoice.Customer, date, "Posted", invoice.Currency,
            invoice.ExchangeRate, false, [], refunded, invoice.Id, true, null, false, request.Source, request.Reference);
        var (receivable, _) = await TaxAndReceivableAccountsAsync(connection, transaction, company.Id);
        await LedgerPosting.PostAsync(connection, transaction, voucherId, docNo, new Voucher(company.Id, OverpaymentRefund, date,
        [
            new VoucherLine(receivable, Debit: refunded, PartyType: "Customer", Party: invoice.Customer, Currency: invoice.Currency, ExchangeRate: invoice.ExchangeRate),
            new VoucherLine(request.Account, Credit: refunded, Currency: invoice.Currency, ExchangeRate: invoice.ExchangeRate),
        ], request.Reference ?? $"Overpayment of {invoice.DocNo} paid back"), isReversal: false, cancellationToken);
        await connection.ExecuteAsync("""
            WITH refund AS (UPDATE erp.sales_document SET voucher_id = @voucherId, payment_account = @Account WHERE id = @id)
            UPDATE erp.sales_document SET outstanding = outstanding + @refunded WHERE id = @invoiceId
            """, new { voucherId, request.Account, id, refunded, invoiceId = invoice.Id }, transaction);
        return (id, (IReadOnlyList<string>)[]);
    }

    // Payments beyond the invoice, the credit notes of units an edit took off (no refund of their own) and what refunds
    // kept of their credit notes' goods, less what was paid back of them.
    private const string Overpaid = """
        SELECT greatest(0,
              coalesce((SELECT sum(grand_total) FROM erp.sales_document WHERE against_id = @invoiceId AND doc_type = @Payment), 0)
            - (SELECT grand_total FROM erp.sales_document WHERE id = @invoiceId AND company = @company AND doc_type = @Invoice)
            + coalesce((SELECT sum(CASE WHEN customer_credit THEN grand_total ELSE kept_credit END) FROM erp.sales_document
                        WHERE against_id = @invoiceId AND doc_type = 'Sales Return' AND (customer_credit OR kept_credit > 0)), 0)
            - coalesce((SELECT sum(grand_total) FROM erp.sales_document WHERE against_id = @invoiceId AND doc_type = @OverpaymentRefund), 0))
        """;

    /// <summary>The invoice holds no overpayment to pay back.</summary>
    private sealed class NothingOverpaidException : Exception;
}
