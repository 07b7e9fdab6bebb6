using System.Globalization;
using Dapper;
using Npgsql;

namespace Integration.Erp.Sales;

// A store's refund of an order whose units were sold on more than one invoice (units an edit added have their own):
// each unit is credited against the invoice that sold it, one credit note per invoice, all or none.
public sealed partial class SalesDocuments
{
    /// <summary>
    /// Credits a store's refund of <paramref name="order"/>: like <see cref="CreateReturnAsync"/> against the order's
    /// own invoice (<see cref="SalesReturnRequest.InvoiceId"/>), but a refunded line the order's other invoices sold is
    /// credited against those, its units taken from the oldest invoice that has them left. The first credit note has
    /// the refund's source (and its amounts without goods); each further one the refund's id suffixed <c>:N</c>.
    /// Once per refund: a second call answers with the notes of the first.
    /// </summary>
    public async Task<(IReadOnlyList<SalesDocument> Notes, bool Existed)> CreateOrderReturnAsync(SalesReturnRequest request, DocumentSource order, CancellationToken cancellationToken)
    {
        var source = request.Source ?? throw new ErpRuleException("no-source", "A store's refund needs its source: it is credited once per source.", 400);
        var (_, existed) = await IdempotentAsync(request.Company, Return, source,
            (connection, transaction) => InsertOrderReturnAsync(connection, transaction, request, order, cancellationToken), cancellationToken);
        return (await RefundReturnsAsync(request.Company, source, cancellationToken), existed);
    }

    /// <summary>
    /// Per store line id, the units the credit notes of the store order's refunds (sources <c>&lt;order id&gt;/refund/...</c>)
    /// put back in stock: their stock ledger rows, line by line.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, decimal>> RefundRestockedAsync(string company, DocumentSource order, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<(string SourceLineId, decimal Qty)>(new CommandDefinition("""
            SELECT il.source_line_id, sum(s.qty_change)
            FROM erp.sales_document r
            JOIN erp.sales_document_line rl ON rl.document_id = r.id
            JOIN erp.sales_document_line il ON il.document_id = r.against_id AND il.line_no::text = rl.source_line_id
            JOIN erp.stock_ledger_entry s ON s.voucher_id = r.voucher_id AND s.line_no = rl.line_no
            WHERE r.company = @company AND r.doc_type = @Return AND r.source_system = @System AND r.source_store = @Store
              AND r.source_id LIKE @refunds AND il.source_line_id IS NOT NULL
            GROUP BY il.source_line_id
            """, new { company, Return, order.System, order.Store, refunds = order.Id + "/refund/%" }, cancellationToken: cancellationToken)))
            .ToDictionary(r => r.SourceLineId, r => r.Qty, StringComparer.Ordinal);
    }

    /// <summary>The credit notes of a store's refund: the one on its source, then those on its id suffixed <c>:N</c> (units sold on other invoices of the order).</summary>
    public async Task<IReadOnlyList<SalesDocument>> RefundReturnsAsync(string company, DocumentSource refund, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var notes = new List<SalesDocument>();
        foreach (var id in await connection.QueryAsync<long>("""
            SELECT id FROM erp.sales_document
            WHERE company = @company AND doc_type = @Return AND source_system = @System AND source_store = @Store
              AND (source_id = @Id OR (left(source_id, length(@Id) + 1) = @Id || ':' AND substr(source_id, length(@Id) + 2) ~ '^[0-9]+$'))
            ORDER BY source_id <> @Id, id
            """, new { company, Return, refund.System, refund.Store, refund.Id }))
        {
            notes.Add(await GetAsync(connection, id, null));
        }

        return notes;
    }

    private static async Task<decimal?> MoneyLeftAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, decimal? money, long noteId) =>
        money is { } given
            ? Math.Max(0, given - await connection.ExecuteScalarAsync<decimal>("SELECT grand_total FROM erp.sales_document WHERE id = @noteId", new { noteId }, transaction))
            : null;

    private static async Task<(long Id, IReadOnlyList<string> Warnings)> InsertOrderReturnAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, SalesReturnRequest request, DocumentSource order, CancellationToken cancellationToken)
    {
        // The order's own invoice's lock first (every writer of the order's invoices takes it): an invoice of units added
        // committed meanwhile is in the list, and paid out of the credit this refund keeps.
        await LockAsync(connection, transaction, request.Company, request.InvoiceId, Invoice);
        var invoices = (await OrderInvoiceIdsAsync(connection, transaction, request.Company, order)).ToList();
        if (invoices.Count < 2 || invoices[0] != request.InvoiceId)
        {
            return await InsertReturnAsync(connection, transaction, request, cancellationToken);
        }

        // Locked oldest first (as every caller locks them), so the units left are read as they stay until commit.
        var lines = new Dictionary<long, IReadOnlyList<SalesDocumentLine>>();
        foreach (var id in invoices)
        {
            await LockAsync(connection, transaction, request.Company, id, Invoice);
            lines[id] = await LinesAsync(connection, id, transaction);
        }

        var shares = invoices.ToDictionary(id => id, _ => new List<ReturnLineInput>());
        var taken = new Dictionary<(long, int), decimal>();
        foreach (var returned in request.Lines)
        {
            var left = returned.Qty;
            foreach (var id in returned.SourceLineId is null ? [] : invoices)
            {
                if (left <= 0)
                {
                    break;
                }

                // A store line split over several warehouses is several lines of the invoice (SplitLineReturns).
                foreach (var line in SplitLineReturns.Parts(lines[id], returned.SourceLineId!, returned.Warehouse))
                {
                    var qty = Math.Min(left, line.Qty - line.ReturnedQty - taken.GetValueOrDefault((id, line.LineNo)));
                    if (qty > 0)
                    {
                        shares[id].Add(new ReturnLineInput(qty, LineNo: line.LineNo, Restock: returned.Restock, Warehouse: returned.Warehouse));
                        taken[(id, line.LineNo)] = taken.GetValueOrDefault((id, line.LineNo)) + qty;
                        left -= qty;
                    }
                }
            }

            if (left > 0)
            {
                // More than the invoices have left (or a line none of them sold): the order's own invoice refuses it, as before.
                shares[invoices[0]].Add(returned with { Qty = left });
            }
        }

        var notes = invoices.Where(id => shares[id].Count > 0 || (id == invoices[0] && request.Amounts is { Count: > 0 })).ToList();
        if (notes.Count < 2)
        {
            var only = await InsertReturnAsync(connection, transaction, request with { InvoiceId = notes.Count == 0 ? request.InvoiceId : notes[0], Lines = notes.Count == 0 ? request.Lines : shares[notes[0]] },
                cancellationToken);
            await PayAddedFromKeptCreditAsync(connection, transaction, request, invoices, cancellationToken);
            return only;
        }

        var first = await InsertReturnAsync(connection, transaction, request with { InvoiceId = notes[0], Lines = shares[notes[0]], Amounts = notes[0] == invoices[0] ? request.Amounts : null },
            cancellationToken);
        // The refund's money is paid back note by note, as far as it goes.
        var moneyLeft = await MoneyLeftAsync(connection, transaction, request.MoneyBack, first.Id);
        for (var n = 1; n < notes.Count; n++)
        {
            var further = request.Source! with { Id = $"{request.Source!.Id}:{(n + 1).ToString(CultureInfo.InvariantCulture)}" };
            var next = await InsertReturnAsync(connection, transaction,
                request with { InvoiceId = notes[n], Lines = shares[notes[n]], Amounts = null, Source = further, MoneyBack = moneyLeft }, cancellationToken);
            moneyLeft = await MoneyLeftAsync(connection, transaction, moneyLeft, next.Id);
        }

        await PayAddedFromKeptCreditAsync(connection, transaction, request, invoices, cancellationToken);
        return first;
    }

    // A refund that kept some of its goods' value (money back named, less than the goods) pays the items taken instead.
    private static Task PayAddedFromKeptCreditAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, SalesReturnRequest request, IReadOnlyList<long> invoices, CancellationToken cancellationToken) =>
        request is { MoneyBack: not null, Source: { } refund }
            ? PayAddedFromCreditAsync(connection, transaction, request.Company, invoices, request.PostingDate, request.RefundAccount, refund, cancellationToken)
            : Task.CompletedTask;
}
