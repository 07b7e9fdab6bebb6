using System.Globalization;
using Dapper;

namespace Integration.Erp.Sales;

// Units a store's order edit took off after the order was invoiced: never delivered, so they come back on a credit note
// (income, VAT and cost reversed, stock back). Its money is the customer's credit, paid back by the refund that follows.
public sealed partial class SalesDocuments
{
    /// <summary>
    /// Credits the units each line's store count fell below the invoice since the last call. Safe to call again with
    /// the same or an older count: a line is credited once for what it lost. Document is the credit note made now or,
    /// when nothing new was taken off, the invoice's latest such credit note (its receipt may still be due: a run that
    /// crashed after the credit); null when the invoice has none. Created says which.
    /// </summary>
    public async Task<(SalesDocument? Document, bool Created)> CreditEditedOffAsync(EditedOffRequest request, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var returned = await LockAsync(connection, transaction, request.Company, request.InvoiceId, Invoice) == "Returned";

        var lines = (await connection.QueryAsync<(int LineNo, string? SourceLineId, decimal Qty, decimal ReturnedQty, decimal EditedOffQty)>(
            "SELECT line_no, source_line_id, qty, returned_qty, edited_off_qty FROM erp.sales_document_line WHERE document_id = @InvoiceId ORDER BY line_no",
            new { request.InvoiceId }, transaction)).ToList();
        var off = new List<ReturnLineInput>();
        foreach (var kept in returned ? [] : request.Lines)
        {
            if (lines.FirstOrDefault(l => l.SourceLineId == kept.SourceLineId) is not { SourceLineId: not null } line)
            {
                continue; // a line the edit added: not on the invoice
            }

            var qty = Math.Min(line.Qty - line.EditedOffQty - kept.KeptQty, line.Qty - line.ReturnedQty);
            if (qty > 0)
            {
                off.Add(new ReturnLineInput(qty, LineNo: line.LineNo));
            }
        }

        if (off.Count == 0)
        {
            var latest = await connection.ExecuteScalarAsync<long?>(
                "SELECT max(id) FROM erp.sales_document WHERE against_id = @InvoiceId AND doc_type = @Return AND customer_credit", new { request.InvoiceId, Return }, transaction);
            return (latest is { } id ? await GetAsync(connection, id, transaction) : null, false);
        }

        var earlier = await connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM erp.sales_document WHERE against_id = @InvoiceId AND doc_type = @Return AND customer_credit", new { request.InvoiceId, Return }, transaction);
        var source = request.Order with { Id = $"{request.Order.Id}:edit:{(earlier + 1).ToString(CultureInfo.InvariantCulture)}" };
        var (noteId, _) = await InsertReturnAsync(connection, transaction,
            new SalesReturnRequest(request.Company, request.InvoiceId, request.PostingDate, off, request.Restock, Source: source, Remarks: $"Units an edit of order {request.Order.Id} took off"),
            cancellationToken);
        await connection.ExecuteAsync("""
            WITH note AS (UPDATE erp.sales_document SET customer_credit = true WHERE id = @id)
            UPDATE erp.sales_document_line l SET edited_off_qty = l.edited_off_qty + o.qty
            FROM unnest(@lineNos::int[], @qtys::numeric[]) AS o(line_no, qty) WHERE l.document_id = @InvoiceId AND l.line_no = o.line_no
            """, new { id = noteId, request.InvoiceId, lineNos = off.Select(o => o.LineNo!.Value).ToArray(), qtys = off.Select(o => o.Qty).ToArray() }, transaction);
        await transaction.CommitAsync(cancellationToken);
        return (await GetAsync(connection, noteId, null), true);
    }
}
