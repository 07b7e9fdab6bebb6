using System.Globalization;
using Dapper;
using Integration.Erp.Companies;
using Npgsql;

namespace Integration.Erp.Sales;

// Units a store's order edit took off after the order was invoiced: never delivered, so they come back on a credit note
// (income, VAT and cost reversed, stock back). Its money is the customer's credit, paid back by the refund that follows.
public sealed partial class SalesDocuments
{
    /// <summary>
    /// Credits the units each line's store count fell below the order's invoices (its own and those of units edits
    /// added) since the last call, the newest invoice's units first: one credit note per invoice. Safe to call again
    /// with the same or an older count: a line is credited once for what it lost. A supplementary invoice's credit that
    /// leaves it overpaid is moved to the order's own invoice, where every refund of the order pays an overpayment back
    /// from. Document is the newest such credit note of the order (made now or before: its receipt may still be due),
    /// null when there is none; Notes are all of them, oldest first; Created says whether any was made now; Invoices
    /// are the invoices those notes credit, oldest first.
    /// </summary>
    public async Task<EditedOffPosting> CreditEditedOffAsync(EditedOffRequest request, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The first invoice's row lock serialises the calls of one order (as InvoiceEditAddedAsync's do); the others are
        // locked after it, oldest first, as every caller locks them.
        await LockAsync(connection, transaction, request.Company, request.InvoiceId, Invoice);
        long[] invoices = [request.InvoiceId, .. (await OrderInvoiceIdsAsync(connection, transaction, request.Company, request.Order)).Where(id => id != request.InvoiceId)];
        foreach (var id in invoices.Skip(1))
        {
            await LockAsync(connection, transaction, request.Company, id, Invoice);
        }

        var lines = (await connection.QueryAsync<InvoicedLine>("""
            SELECT document_id AS InvoiceId, line_no AS LineNo, source_line_id AS SourceLineId, qty AS Qty, returned_qty AS ReturnedQty, edited_off_qty AS EditedOffQty
            FROM erp.sales_document_line WHERE document_id = ANY(@invoices) AND source_line_id IS NOT NULL ORDER BY document_id, line_no
            """, new { invoices }, transaction)).ToLookup(l => l.SourceLineId, StringComparer.Ordinal);
        var off = invoices.ToDictionary(id => id, _ => new List<ReturnLineInput>());
        // A store line split over several warehouses comes as one entry per part: its units kept are their sum.
        var perLine = request.Lines.GroupBy(k => k.SourceLineId, StringComparer.Ordinal).Select(g => new EditedLine(g.Key, g.Sum(k => k.KeptQty))).ToList();
        IEnumerable<EditedLine> counted = request.Complete
            ? [.. perLine, .. lines.Select(l => l.Key).Where(id => !perLine.Exists(k => k.SourceLineId == id)).Select(id => new EditedLine(id, 0))]
            : perLine;
        foreach (var kept in counted)
        {
            // Units the invoices sold and no edit credited yet, beyond what the store counts now (sold or refunded). A
            // line none of them has was added by an edit and is not invoiced yet: nothing to credit.
            var sold = lines[kept.SourceLineId].ToList();
            var excess = sold.Sum(l => l.Qty - l.EditedOffQty) - kept.KeptQty;
            for (var i = invoices.Length - 1; i >= 0; i--)
            {
                foreach (var line in sold.Where(l => l.InvoiceId == invoices[i]))
                {
                    var qty = Math.Min(excess, line.Qty - line.ReturnedQty);
                    if (qty > 0)
                    {
                        off[invoices[i]].Add(new ReturnLineInput(qty, LineNo: line.LineNo));
                        excess -= qty;
                    }
                }
            }
        }

        var created = false;
        foreach (var id in invoices.Where(id => off[id].Count > 0))
        {
            await CreditEditedOffLockedAsync(connection, transaction, request, id, off[id], cancellationToken);
            created = true;
        }

        await transaction.CommitAsync(cancellationToken);
        var notes = await GetAllAsync(connection, null, await connection.QueryAsync<long>(
            "SELECT id FROM erp.sales_document WHERE against_id = ANY(@invoices) AND doc_type = @Return AND customer_credit ORDER BY id", new { invoices, Return }));
        // The sales those notes credit: a return's receipt references its sale's, which an earlier run may not have issued.
        var credited = notes.Count == 0 ? [] : await GetAllAsync(connection, null, invoices.Where(id => notes.Any(n => n.AgainstId == id)));
        return new EditedOffPosting(notes.Count == 0 ? null : notes[^1], created, notes, credited);
    }

    // One invoice's credit note of units edited off (source: the invoice's own, suffixed :edit:N), the lines counted as
    // edited off, and a supplementary invoice's overpayment moved to the order's first invoice.
    private static async Task CreditEditedOffLockedAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, EditedOffRequest request, long invoiceId, List<ReturnLineInput> off, CancellationToken cancellationToken)
    {
        var invoice = await GetAsync(connection, invoiceId, transaction);
        var earlier = await connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM erp.sales_document WHERE against_id = @invoiceId AND doc_type = @Return AND customer_credit", new { invoiceId, Return }, transaction);
        var source = request.Order with { Id = $"{invoice.SourceId ?? request.Order.Id}:edit:{(earlier + 1).ToString(CultureInfo.InvariantCulture)}" };
        var (noteId, _) = await InsertReturnAsync(connection, transaction,
            new SalesReturnRequest(request.Company, invoiceId, request.PostingDate, off, request.Restock, Source: source, Remarks: $"Units an edit of order {request.Order.Id} took off"),
            cancellationToken);
        await connection.ExecuteAsync("""
            WITH note AS (UPDATE erp.sales_document SET customer_credit = true WHERE id = @id)
            UPDATE erp.sales_document_line l SET edited_off_qty = l.edited_off_qty + o.qty
            FROM unnest(@lineNos::int[], @qtys::numeric[]) AS o(line_no, qty) WHERE l.document_id = @invoiceId AND l.line_no = o.line_no
            """, new { id = noteId, invoiceId, lineNos = off.Select(o => o.LineNo!.Value).ToArray(), qtys = off.Select(o => o.Qty).ToArray() }, transaction);
        if (invoiceId == request.InvoiceId)
        {
            return;
        }

        // The customer's credit on a paid supplementary invoice: paid back out of it and into the first one on the account
        // its payment went to, so the account nets to nothing and the receivable moves to where refunds look for it.
        var company = await CompanyStore.GetAsync(connection, request.Company, transaction);
        var credited = await GetAsync(connection, invoiceId, transaction);
        var overpaid = await connection.ExecuteScalarAsync<decimal>(Overpaid, new { company = company.Id, invoiceId, Invoice, Payment, OverpaymentRefund }, transaction);
        var moved = Math.Min(overpaid, -credited.Outstanding);
        if (moved <= 0 || await PaidIntoAsync(connection, transaction, invoiceId) is not { } account)
        {
            return;
        }

        var date = request.PostingDate < credited.PostingDate ? credited.PostingDate : request.PostingDate;
        var reference = $"Customer credit on {credited.DocNo} moved to the order's invoice";
        await RefundOverpaymentLockedAsync(connection, transaction,
            new OverpaymentRefundRequest(company.Id, invoiceId, date, account, moved, source, reference), cancellationToken);
        await PayLockedAsync(connection, transaction, company, request.InvoiceId, date, account, moved, source, reference, cancellationToken, overpaymentAsCredit: true);
    }

    private sealed record InvoicedLine(long InvoiceId, int LineNo, string SourceLineId, decimal Qty, decimal ReturnedQty, decimal EditedOffQty);
}
