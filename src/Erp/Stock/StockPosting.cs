using System.Text.Json;
using Dapper;
using Integration.Erp.Companies;
using Integration.Erp.Ledger;
using Npgsql;

namespace Integration.Erp.Stock;

/// <summary>
/// Applies stock movements inside the caller's transaction: locks the bins of the items and warehouses involved
/// (in a fixed order, so concurrent moves wait for each other instead of both taking the last unit), values each
/// movement from the stock ledger row before it, refuses stock going negative unless the company allows it, re-values
/// the later rows of a back-dated movement (posting the value differences to the ledger), updates the bins, posts the
/// stock value change against the counter accounts through <see cref="LedgerPosting"/> and writes outbox events.
/// </summary>
internal static class StockPosting
{
    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    public static async Task<IReadOnlyList<string>> PostAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        Company company,
        long voucherId,
        string voucherNo,
        string voucherType,
        DateOnly postingDate,
        IReadOnlyList<StockMovement> movements,
        CancellationToken cancellationToken,
        IReadOnlyList<VoucherLine>? otherLines = null,
        (int OtherLine, decimal CompanyAmount)? exactOtherLine = null)
    {
        var pairs = movements.Select(m => (m.Sku, m.Warehouse)).Distinct().Order().ToList();
        Dictionary<string, (string Sku, string Status, bool IsStockItem, string ValuationMethod, bool IsTemplate)> items;
        Dictionary<string, (string Id, bool IsGroup, string? StockAccount)> warehouses;
        await using (var found = await connection.QueryMultipleAsync("""
            SELECT sku, status, is_stock_item, valuation_method, is_template FROM erp.item WHERE company = @company AND sku = ANY(@skus);
            SELECT id, is_group, stock_account FROM erp.warehouse WHERE company = @company AND id = ANY(@ids)
            """, new { company = company.Id, skus = pairs.Select(p => p.Sku).Distinct().ToArray(), ids = pairs.Select(p => p.Warehouse).Distinct().ToArray() }, transaction))
        {
            items = (await found.ReadAsync<(string Sku, string Status, bool IsStockItem, string ValuationMethod, bool IsTemplate)>()).ToDictionary(i => i.Sku);
            warehouses = (await found.ReadAsync<(string Id, bool IsGroup, string? StockAccount)>()).ToDictionary(w => w.Id);
        }

        foreach (var m in movements)
        {
            if (!items.TryGetValue(m.Sku, out var item))
            {
                throw new ErpRuleException("unknown-item", $"Line {m.LineNo}: no item '{m.Sku}' in {company.Id}.");
            }

            if (!item.IsStockItem)
            {
                throw new ErpRuleException("not-a-stock-item", $"Line {m.LineNo}: '{m.Sku}' is not kept in stock.");
            }

            if (item.IsTemplate)
            {
                // Its variants are what is sold: units of the template could never leave by a sale.
                throw new ErpRuleException("template-item", $"Line {m.LineNo}: '{m.Sku}' is a template of variants: receive and count its variants.");
            }

            if (!warehouses.TryGetValue(m.Warehouse, out var warehouse) || warehouse.IsGroup)
            {
                throw new ErpRuleException("unknown-warehouse", $"Line {m.LineNo}: no ledger warehouse '{m.Warehouse}' in {company.Id}.");
            }
        }

        var statesBefore = await LockBinsAsync(connection, transaction, company.Id, pairs, postingDate);
        // The states read with the lock hold for each bin's first movement until a back-dated movement re-values rows
        // (a re-valued transfer can reach another bin of this posting); a bin moved twice is read again.
        var firstMoves = new HashSet<(string, string)>();
        var backDatedSoFar = false;

        var glLines = new List<VoucherLine>();
        var adjustments = new List<(DateOnly, string, string, string?, decimal)>();
        var movedValue = new Dictionary<int, (decimal Qty, decimal Value)>();
        foreach (var m in movements)
        {
            var method = items[m.Sku].ValuationMethod;
            var stockAccount = warehouses[m.Warehouse].StockAccount!;
            var before = !backDatedSoFar && firstMoves.Add((m.Sku, m.Warehouse))
                ? statesBefore.GetValueOrDefault((m.Sku, m.Warehouse), StockState.Empty)
                : await StateBeforeAsync(connection, transaction, company.Id, m.Sku, m.Warehouse, postingDate);
            (StockState After, decimal ValueChange) result;
            decimal incomingRate = 0;
            if (m.CountedQty is { } counted)
            {
                incomingRate = m.IncomingRate ?? before.Rate;
                result = Valuation.Reconcile(before, counted, incomingRate, method, company.CurrencyPrecision);
            }
            else if (m.Qty > 0)
            {
                incomingRate = m.ValueFrom is { } source && movedValue.TryGetValue(source, out var moved) && moved.Qty != 0
                    ? moved.Value / moved.Qty
                    : m.IncomingRate ?? before.Rate;
                result = Valuation.Receive(before, m.Qty, incomingRate, method, company.CurrencyPrecision);
                if (m.ValueFrom is not null || m.ExactValue is not null)
                {
                    // A transfer moves exactly the value that left the source warehouse; a return comes back at its cost.
                    var exact = m.ExactValue ?? movedValue[m.ValueFrom!.Value].Value;
                    result = (result.After with { Value = before.Value + exact, Rate = Rate(result.After.Qty, before.Value + exact, incomingRate) }, exact);
                }
            }
            else
            {
                result = Valuation.Issue(before, -m.Qty, method, company.CurrencyPrecision);
                movedValue[m.LineNo] = (-m.Qty, -result.ValueChange);
            }

            // Only what takes units out is refused: a bin left negative while it was allowed still takes receipts and returns.
            if (result.After.Qty < 0 && result.After.Qty < before.Qty && !company.AllowNegativeStock)
            {
                throw new ErpRuleException("insufficient-stock",
                    $"Line {m.LineNo}: {m.Sku} in {m.Warehouse} has {before.Qty:0.###} on {postingDate:yyyy-MM-dd}; {-m.Qty:0.###} cannot go out.",
                    details: new Dictionary<string, object?> { ["sku"] = m.Sku, ["warehouse"] = m.Warehouse, ["available"] = before.Qty, ["requested"] = -m.Qty });
            }

            var qtyChange = m.CountedQty is { } target ? target - before.Qty : m.Qty;
            var (entryId, backDated) = await InsertEntryAsync(connection, transaction, company.Id, voucherId, voucherNo, voucherType, postingDate, m, qtyChange, incomingRate, result);
            if (backDated)
            {
                backDatedSoFar = true;
                await RevalueAfterAsync(connection, transaction, company, m.Sku, m.Warehouse, postingDate, entryId, adjustments);
                await RefreshBinAsync(connection, transaction, company.Id, m.Sku, m.Warehouse);
            }

            // A plain receipt's counter account takes what the units cost (qty x rate) even when some of them filled stock
            // issued without being there, which come in at the rate they went out at: the difference is a stock adjustment.
            var cost = IsPlainReceipt(m) ? Money.Round(m.Qty * incomingRate, company.CurrencyPrecision) : result.ValueChange;
            if (m.PostsGl)
            {
                // Each line only when it moves something: a receipt filling a shortage issued at rate 0 changes no stock value.
                var v = result.ValueChange;
                var shortfall = cost - v;
                (string Account, decimal Amount, string? CostCenter, string Remarks)[] lines =
                [
                    (stockAccount, v, null, $"{m.Sku} @ {m.Warehouse}"),
                    (m.CounterAccount, -cost, m.CounterCostCenter, $"{m.Sku} @ {m.Warehouse}"),
                    (company.StockAdjustmentAccount!, shortfall, null, $"{m.Sku} @ {m.Warehouse}: units issued short, at their cost"),
                ];
                glLines.AddRange(lines.Where(l => l.Amount != 0)
                    .Select(l => new VoucherLine(l.Account, Debit: l.Amount > 0 ? l.Amount : 0, Credit: l.Amount < 0 ? -l.Amount : 0, CostCenter: l.CostCenter, Remarks: l.Remarks)));
            }
        }

        var warnings = new List<string>();
        // The document's own lines (receivable, income, tax) post in the same voucher as its stock value.
        glLines.AddRange(otherLines ?? []);
        if (glLines.Count > 0)
        {
            // An exact company amount named for one of the document's own lines: they come after the stock lines.
            var exactLine = exactOtherLine is { } e ? (glLines.Count - (otherLines?.Count ?? 0) + e.OtherLine, e.CompanyAmount) : ((int, decimal)?)null;
            warnings.AddRange((await LedgerPosting.PostAsync(connection, transaction, voucherId, voucherNo,
                new Voucher(company.Id, voucherType, postingDate, glLines, voucherNo), isReversal: false, cancellationToken, exact: exactLine)).Warnings);
        }
        else
        {
            // Worth nothing, it still changes the quantities of its day (and re-values what came after), or is a document
            // of that day: a closed period or a date outside the fiscal years takes neither.
            await FiscalYears.FiscalYearStore.OpenYearForAsync(connection, transaction, company.Id, postingDate);
        }

        await PostRevaluationsAsync(connection, transaction, company, voucherNo, adjustments, cancellationToken);
        await Reorder.ReorderCheck.RunAsync(connection, transaction, company.Id, pairs);
        await AddStockChangedAsync(connection, transaction, company.Id, pairs, voucherNo);
        return warnings;
    }

    // One erp.stock.changed event per bin moved, in bin order, with the bin as it now stands: one statement for all.
    private static async Task AddStockChangedAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string company, List<(string Sku, string Warehouse)> pairs, string voucherNo)
    {
        var added = await connection.ExecuteAsync("""
            INSERT INTO integration.outbox (topic, company, entity_key, payload, trace_parent)
            SELECT 'erp.stock.changed', b.company, b.sku || '@' || b.warehouse,
                   jsonb_build_object('sku', b.sku, 'warehouse', b.warehouse, 'actual', b.actual_qty,
                                      'projected', b.actual_qty + b.ordered_qty - b.reserved_qty, 'voucherNo', @voucherNo::text),
                   @traceParent
            FROM unnest(@skus::text[], @warehouses::text[]) WITH ORDINALITY AS p(sku, warehouse, n)
            JOIN erp.bin b ON b.company = @company AND b.sku = p.sku AND b.warehouse = p.warehouse
            ORDER BY p.n
            """, new
        {
            company, voucherNo, traceParent = System.Diagnostics.Activity.Current?.Id,
            skus = pairs.Select(p => p.Sku).ToArray(), warehouses = pairs.Select(p => p.Warehouse).ToArray(),
        }, transaction);
        if (added != pairs.Count)
        {
            throw new InvalidOperationException($"Stock events: {added} bins found for {pairs.Count} moved.");
        }
    }

    // Makes the bins, locks them in order (byte order, COLLATE "C": the order reservations take bins in, ordinal, whatever
    // the cluster's collation; under en_US "a" sorts before "B", and the two could wait on each other in a cycle), then
    // reads each bin's last ledger row on the posting date: three statements
    // in one round trip. The read is a statement of its own after the lock, so its snapshot includes what the
    // transaction that held a bin before committed (a read inside the locking statement would not see it).
    private static async Task<Dictionary<(string Sku, string Warehouse), StockState>> LockBinsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string company, List<(string Sku, string Warehouse)> pairs, DateOnly postingDate)
    {
        var skus = pairs.Select(p => p.Sku).ToArray();
        var warehouses = pairs.Select(p => p.Warehouse).ToArray();
        await using var batch = new NpgsqlBatch(connection, transaction);
        AddLockCommands(batch, company, skus, warehouses);
        var read = BinCommand("""
            SELECT p.s, p.w, l.qty_after, l.stock_value, l.valuation_rate, l.fifo_queue::text
            FROM unnest($2::text[], $3::text[]) AS p(s, w)
            CROSS JOIN LATERAL (
                SELECT qty_after, stock_value, valuation_rate, fifo_queue FROM erp.stock_ledger_entry
                WHERE company = $1 AND sku = p.s AND warehouse = p.w AND posting_date <= $4
                ORDER BY posting_date DESC, id DESC LIMIT 1) l
            """, company, skus, warehouses);
        read.Parameters.AddWithValue(postingDate);
        batch.BatchCommands.Add(read);
        var states = new Dictionary<(string, string), StockState>(pairs.Count);
        await using var reader = await batch.ExecuteReaderAsync();
        do
        {
            // The read is the only statement with six columns (the lock's rows have one).
            while (reader.FieldCount == 6 && await reader.ReadAsync())
            {
                states[(reader.GetString(0), reader.GetString(1))] = new StockState(
                    reader.GetDecimal(2), reader.GetDecimal(3), reader.GetDecimal(4), Lots(reader.IsDBNull(5) ? null : reader.GetString(5)));
            }
        }
        while (await reader.NextResultAsync());

        return states;
    }

    /// <summary>
    /// Makes and locks the bins in the same order as a posting does, for a caller that must hold all of them before it
    /// touches the first: an invoice that releases its order's reservation and then issues from other bins would
    /// otherwise take them in two passes, and two such sales could each hold a bin the other waits for.
    /// </summary>
    public static async Task LockBinsInOrderAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string company, IReadOnlyCollection<(string Sku, string Warehouse)> pairs)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        AddLockCommands(batch, company, [.. pairs.Select(p => p.Sku)], [.. pairs.Select(p => p.Warehouse)]);
        await batch.ExecuteNonQueryAsync();
    }

    private static void AddLockCommands(NpgsqlBatch batch, string company, string[] skus, string[] warehouses)
    {
        batch.BatchCommands.Add(BinCommand("""
            INSERT INTO erp.bin (company, sku, warehouse)
            SELECT $1, s, w FROM unnest($2::text[], $3::text[]) AS p(s, w)
            ON CONFLICT DO NOTHING
            """, company, skus, warehouses));
        batch.BatchCommands.Add(BinCommand("""
            SELECT 1 FROM erp.bin b JOIN unnest($2::text[], $3::text[]) AS p(s, w) ON b.sku = p.s AND b.warehouse = p.w
            WHERE b.company = $1 ORDER BY b.sku COLLATE "C", b.warehouse COLLATE "C" FOR UPDATE OF b
            """, company, skus, warehouses));
    }

    private static NpgsqlBatchCommand BinCommand(string sql, string company, string[] skus, string[] warehouses)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddWithValue(company);
        command.Parameters.AddWithValue(skus);
        command.Parameters.AddWithValue(warehouses);
        return command;
    }

    private static async Task<StockState> StateBeforeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string company, string sku, string warehouse, DateOnly date)
    {
        var row = await connection.QuerySingleOrDefaultAsync<(decimal Qty, decimal Value, decimal Rate, string? Lots)>("""
            SELECT qty_after, stock_value, valuation_rate, fifo_queue::text FROM erp.stock_ledger_entry
            WHERE company = @company AND sku = @sku AND warehouse = @warehouse AND posting_date <= @date
            ORDER BY posting_date DESC, id DESC LIMIT 1
            """, new { company, sku, warehouse, date }, transaction);
        return row == default ? StockState.Empty : new StockState(row.Qty, row.Value, row.Rate, Lots(row.Lots));
    }

    // Writes the row and, unless rows of the bin come after it (a back-dated movement: the caller re-values them, then
    // refreshes the bin), sets the bin to it, in one statement. Whether such rows exist is returned.
    private static async Task<(long Id, bool BackDated)> InsertEntryAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string company, long voucherId, string voucherNo, string voucherType,
        DateOnly postingDate, StockMovement m, decimal qtyChange, decimal incomingRate, (StockState After, decimal ValueChange) result) =>
        await connection.QuerySingleAsync<(long, bool)>("""
            WITH entry AS (
                INSERT INTO erp.stock_ledger_entry (company, sku, warehouse, posting_date, voucher_id, voucher_type, voucher_no, line_no,
                    qty_change, incoming_rate, qty_after, valuation_rate, stock_value, value_change, counter_account, counter_cost_center, fifo_queue,
                    value_from_line, at_current_rate)
                VALUES (@company, @Sku, @Warehouse, @postingDate, @voucherId, @voucherType, @voucherNo, @LineNo,
                    @qtyChange, @incomingRate, @qtyAfter, @rate, @value, @valueChange, @CounterAccount, @CounterCostCenter, @lots::jsonb, @ValueFrom,
                    @atCurrentRate)
                RETURNING id, qty_after, valuation_rate, stock_value),
            later AS (
                SELECT EXISTS (SELECT 1 FROM erp.stock_ledger_entry e, entry
                               WHERE e.company = @company AND e.sku = @Sku AND e.warehouse = @Warehouse
                                 AND (e.posting_date, e.id) > (@postingDate, entry.id)) AS found),
            bin AS (
                UPDATE erp.bin b SET actual_qty = entry.qty_after, valuation_rate = entry.valuation_rate, stock_value = entry.stock_value
                FROM entry, later
                WHERE NOT later.found AND b.company = @company AND b.sku = @Sku AND b.warehouse = @Warehouse)
            SELECT entry.id, later.found FROM entry, later
            """, new
        {
            company, m.Sku, m.Warehouse, postingDate, voucherId, voucherType, voucherNo, m.LineNo, qtyChange, incomingRate,
            qtyAfter = result.After.Qty, rate = result.After.Rate, value = result.After.Value, valueChange = result.ValueChange,
            m.CounterAccount, m.CounterCostCenter, lots = LotsJson(result.After.Lots), ValueFrom = m.ExactValue is not null ? 0 : m.ValueFrom,
            atCurrentRate = m.CountedQty is not null && m.IncomingRate is null,
        }, transaction);

    // The rows after (date, id) of an item in a warehouse are valued again, in order; their value differences go to the
    // ledger. A re-valued transfer issue hands its new value to the transfer's receiving row, whose warehouse is then
    // re-valued in turn.
    private static async Task RevalueAfterAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Company company, string sku, string warehouse,
        DateOnly date, long afterId, List<(DateOnly, string, string, string?, decimal)> adjustments)
    {
        var later = (await connection.QueryAsync<LaterRow>("""
            SELECT id AS Id, voucher_id AS VoucherId, line_no AS LineNo, posting_date AS PostingDate, voucher_type AS VoucherType,
                   qty_change AS QtyChange, incoming_rate AS IncomingRate, qty_after AS QtyAfter, valuation_rate AS Rate,
                   value_change AS ValueChange, counter_account AS CounterAccount, counter_cost_center AS CounterCostCenter,
                   value_from_line AS ValueFromLine, at_current_rate AS AtCurrentRate
            FROM erp.stock_ledger_entry
            WHERE company = @company AND sku = @sku AND warehouse = @warehouse AND (posting_date, id) > (@date, @afterId)
            ORDER BY posting_date, id
            """, new { company = company.Id, sku, warehouse, date, afterId }, transaction)).ToList();
        if (later.Count == 0)
        {
            return;
        }

        var (method, stockAccount) = await connection.QuerySingleAsync<(string, string)>("""
            SELECT i.valuation_method, w.stock_account FROM erp.item i, erp.warehouse w
            WHERE i.company = @company AND i.sku = @sku AND w.company = @company AND w.id = @warehouse
            """, new { company = company.Id, sku, warehouse }, transaction);
        var state = await StateAtAsync(connection, transaction, company.Id, sku, warehouse, date, afterId);
        var handedOn = new List<(long ReceivingRowId, decimal Value)>();
        var returnsElsewhere = new List<long>();
        foreach (var row in later)
        {
            (StockState After, decimal ValueChange) result;
            var incomingRate = row.IncomingRate;
            if (row.VoucherType == StockEntries.ReconciliationType)
            {
                // A count made without a rate takes the bin's rate at its point, as it did when it was posted.
                incomingRate = row.AtCurrentRate ? state.Rate : incomingRate;
                result = Valuation.Reconcile(state, row.QtyAfter, row.AtCurrentRate ? state.Rate : row.Rate, method, company.CurrencyPrecision);
            }
            else if (row.QtyChange > 0 && row.ValueFromLine is not null)
            {
                // A transfer's receiving row keeps exactly the value its issuing row moved; a sales return's, its share of
                // what the sale costs now (the sale's issue, earlier in this bin, may have just been re-valued).
                var value = row.VoucherType == Sales.SalesDocuments.Return
                    ? await ReturnedCostAsync(connection, transaction, row, company.CurrencyPrecision) ?? row.ValueChange
                    : row.ValueChange;
                if (value != row.ValueChange)
                {
                    incomingRate = Math.Round(value / row.QtyChange, 6);
                }

                var received = Valuation.Receive(state, row.QtyChange, incomingRate, method, company.CurrencyPrecision);
                result = (received.After with { Value = state.Value + value, Rate = Rate(state.Qty + row.QtyChange, state.Value + value, incomingRate) }, value);
            }
            else if (row.QtyChange > 0)
            {
                result = Valuation.Receive(state, row.QtyChange, row.IncomingRate, method, company.CurrencyPrecision);
            }
            else
            {
                result = Valuation.Issue(state, -row.QtyChange, method, company.CurrencyPrecision);
            }

            // Refused only where the back-dated movement leaves a row lower than it was: a bin that went negative while it
            // was allowed may still take a back-dated receipt that covers part of it.
            if (result.After.Qty < 0 && result.After.Qty < row.QtyAfter && !company.AllowNegativeStock)
            {
                throw new ErpRuleException("insufficient-stock",
                    $"Back-dated before {row.PostingDate:yyyy-MM-dd}, {sku} in {warehouse} would go negative on {row.PostingDate:yyyy-MM-dd}.");
            }

            var difference = result.ValueChange - row.ValueChange;
            if (difference != 0)
            {
                // A plain receipt's counter account keeps what the units cost; a change in how many of them filled stock
                // issued short moves value between the stock and the stock adjustment accounts.
                var plainReceipt = row.QtyChange > 0 && row.ValueFromLine is null && row.VoucherType != StockEntries.ReconciliationType;
                adjustments.Add(plainReceipt
                    ? (row.PostingDate, stockAccount, company.StockAdjustmentAccount!, null, difference)
                    : (row.PostingDate, stockAccount, row.CounterAccount, row.CounterCostCenter, difference));
                var receiving = await connection.ExecuteScalarAsync<long?>(
                    "SELECT id FROM erp.stock_ledger_entry WHERE voucher_id = @VoucherId AND value_from_line = @LineNo", row, transaction);
                if (receiving is { } receivingId)
                {
                    handedOn.Add((receivingId, -result.ValueChange));
                }

                if (row.VoucherType == Sales.SalesDocuments.Invoice)
                {
                    // The invoice line's cost follows its re-valued issue: a return later gives back what the sale cost now.
                    await connection.ExecuteAsync("""
                        UPDATE erp.sales_document_line l SET cogs_amount = -@valueChange
                        FROM erp.sales_document d WHERE d.voucher_id = @voucherId AND d.doc_type = @invoice AND l.document_id = d.id AND l.line_no = @lineNo
                        """, new { valueChange = result.ValueChange, voucherId = row.VoucherId, invoice = Sales.SalesDocuments.Invoice, lineNo = row.LineNo }, transaction);
                    // Its returns into other warehouses follow that cost too (those in this bin come later in this walk).
                    returnsElsewhere.AddRange(await connection.QueryAsync<long>("""
                        SELECT e.id FROM erp.sales_document i
                        JOIN erp.sales_document r ON r.against_id = i.id AND r.doc_type = @Return
                        JOIN erp.sales_document_line rl ON rl.document_id = r.id AND rl.source_line_id = @lineNo::text
                        JOIN erp.stock_ledger_entry e ON e.voucher_id = r.voucher_id AND e.line_no = rl.line_no AND e.qty_change > 0
                        WHERE i.voucher_id = @voucherId AND i.doc_type = @invoice AND NOT (e.sku = @sku AND e.warehouse = @warehouse)
                        """, new { voucherId = row.VoucherId, invoice = Sales.SalesDocuments.Invoice, Return = Sales.SalesDocuments.Return, lineNo = row.LineNo, sku, warehouse }, transaction));
                }
            }

            await connection.ExecuteAsync("""
                UPDATE erp.stock_ledger_entry
                SET qty_change = @qtyChange, qty_after = @qty, valuation_rate = @rate, stock_value = @value, value_change = @valueChange, fifo_queue = @lots::jsonb,
                    incoming_rate = @incomingRate
                WHERE id = @id
                """, new
            {
                id = row.Id, qtyChange = result.After.Qty - state.Qty, qty = result.After.Qty, rate = result.After.Rate, incomingRate,
                value = result.After.Value, valueChange = result.ValueChange, lots = LotsJson(result.After.Lots),
            }, transaction);
            state = result.After;
        }

        foreach (var returnRowId in returnsElsewhere)
        {
            var target = await connection.QuerySingleAsync<(string Sku, string Warehouse, DateOnly PostingDate)>(
                "SELECT sku, warehouse, posting_date FROM erp.stock_ledger_entry WHERE id = @returnRowId", new { returnRowId }, transaction);
            await RevalueFromAsync(connection, transaction, company, target.Sku, target.Warehouse, target.PostingDate, returnRowId, adjustments);
        }

        foreach (var (receivingId, value) in handedOn)
        {
            var target = await connection.QuerySingleAsync<(string Sku, string Warehouse, DateOnly PostingDate, decimal Qty)>(
                "UPDATE erp.stock_ledger_entry SET value_change = @value, incoming_rate = round(@value / qty_change, 6) WHERE id = @receivingId RETURNING sku, warehouse, posting_date, qty_change",
                new { receivingId, value }, transaction);
            await RevalueFromAsync(connection, transaction, company, target.Sku, target.Warehouse, target.PostingDate, receivingId, adjustments);
        }
    }

    // Re-values a row of another bin and everything after it there, under that bin's lock.
    private static async Task RevalueFromAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Company company, string sku, string warehouse, DateOnly postingDate, long rowId,
        List<(DateOnly, string, string, string?, decimal)> adjustments)
    {
        await connection.ExecuteAsync(
            "SELECT 1 FROM erp.bin WHERE company = @company AND sku = @sku AND warehouse = @warehouse FOR UPDATE",
            new { company = company.Id, sku, warehouse }, transaction);
        var before = await connection.ExecuteScalarAsync<long?>("""
            SELECT id FROM erp.stock_ledger_entry WHERE company = @company AND sku = @sku AND warehouse = @warehouse
              AND (posting_date, id) < (@postingDate, @rowId) ORDER BY posting_date DESC, id DESC LIMIT 1
            """, new { company = company.Id, sku, warehouse, postingDate, rowId }, transaction);
        var anchor = before is { } b
            ? await connection.QuerySingleAsync<(DateOnly Date, long Id)>("SELECT posting_date, id FROM erp.stock_ledger_entry WHERE id = @b", new { b }, transaction)
            : (DateOnly.MinValue, 0L);
        await RevalueAfterAsync(connection, transaction, company, sku, warehouse, anchor.Item1, anchor.Item2, adjustments);
        await RefreshBinAsync(connection, transaction, company.Id, sku, warehouse);
    }

    // A receipt at a rate of its own: not a reconciliation, nor a transfer's or a return's receiving side (their value is fixed).
    private static bool IsPlainReceipt(StockMovement m) => m.Qty > 0 && m.CountedQty is null && m.ValueFrom is null && m.ExactValue is null;

    // A sales return's row: its share of its invoice line's cost as the line stands now, as the return took it when it
    // was posted (SalesPricing.ReturnShare over the units returned before it); null when the row is not a return's line.
    private static async Task<decimal?> ReturnedCostAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, LaterRow row, int precision)
    {
        var line = await connection.QuerySingleOrDefaultAsync<(decimal Cost, decimal LineQty, decimal Qty, decimal Before)?>("""
            SELECT il.cogs_amount, il.qty, rl.qty,
                   coalesce((SELECT sum(pl.qty) FROM erp.sales_document p JOIN erp.sales_document_line pl ON pl.document_id = p.id
                             WHERE p.against_id = r.against_id AND p.doc_type = r.doc_type AND pl.source_line_id = rl.source_line_id
                               AND (p.id < r.id OR (p.id = r.id AND pl.line_no < rl.line_no))), 0)
            FROM erp.sales_document r
            JOIN erp.sales_document_line rl ON rl.document_id = r.id AND rl.line_no = @LineNo
            JOIN erp.sales_document_line il ON il.document_id = r.against_id AND il.line_no::text = rl.source_line_id
            WHERE r.voucher_id = @VoucherId AND r.doc_type = @type
            """, new { row.VoucherId, row.LineNo, type = Sales.SalesDocuments.Return }, transaction);
        return line is { } l && l.LineQty != 0 ? Sales.SalesPricing.ReturnShare(l.Cost, l.LineQty, l.Before, l.Qty, precision) : null;
    }

    private static async Task<StockState> StateAtAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string company, string sku, string warehouse, DateOnly date, long id)
    {
        var row = await connection.QuerySingleOrDefaultAsync<(decimal Qty, decimal Value, decimal Rate, string? Lots)>("""
            SELECT qty_after, stock_value, valuation_rate, fifo_queue::text FROM erp.stock_ledger_entry
            WHERE company = @company AND sku = @sku AND warehouse = @warehouse AND (posting_date, id) <= (@date, @id)
            ORDER BY posting_date DESC, id DESC LIMIT 1
            """, new { company, sku, warehouse, date, id }, transaction);
        return row == default ? StockState.Empty : new StockState(row.Qty, row.Value, row.Rate, Lots(row.Lots));
    }

    private static decimal Rate(decimal qty, decimal value, decimal fallback) => qty > 0 ? Math.Round(value / qty, 9) : fallback;

    private static async Task PostRevaluationsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Company company, string cause,
        List<(DateOnly Date, string StockAccount, string Counter, string? CostCenter, decimal Value)> adjustments, CancellationToken cancellationToken)
    {
        foreach (var day in adjustments.GroupBy(a => a.Date).OrderBy(d => d.Key))
        {
            var lines = new List<VoucherLine>();
            foreach (var a in day.GroupBy(a => (a.StockAccount, a.Counter, a.CostCenter)))
            {
                var v = a.Sum(x => x.Value);
                if (v == 0)
                {
                    continue;
                }

                lines.Add(new VoucherLine(a.Key.StockAccount, Debit: v > 0 ? v : 0, Credit: v < 0 ? -v : 0));
                lines.Add(new VoucherLine(a.Key.Counter, Debit: v < 0 ? -v : 0, Credit: v > 0 ? v : 0, CostCenter: a.Key.CostCenter));
            }

            if (lines.Count == 0)
            {
                continue;
            }

            var (id, no) = await VoucherStore.InsertAsync(connection, transaction, company.Id, "Stock Revaluation", "SRV", day.Key, "posted",
                $"Re-valuation after back-dated {cause}");
            await LedgerPosting.PostAsync(connection, transaction, id, no,
                new Voucher(company.Id, "Stock Revaluation", day.Key, lines, $"Re-valuation after back-dated {cause}"), isReversal: false, cancellationToken, checkBudgets: false);
        }
    }

    private static async Task RefreshBinAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string company, string sku, string warehouse) =>
        await connection.ExecuteAsync("""
            UPDATE erp.bin b SET actual_qty = l.qty_after, valuation_rate = l.valuation_rate, stock_value = l.stock_value
            FROM (SELECT qty_after, valuation_rate, stock_value FROM erp.stock_ledger_entry
                  WHERE company = @company AND sku = @sku AND warehouse = @warehouse ORDER BY posting_date DESC, id DESC LIMIT 1) l
            WHERE b.company = @company AND b.sku = @sku AND b.warehouse = @warehouse
            """, new { company, sku, warehouse }, transaction);

    private static IReadOnlyList<StockLot> Lots(string? json) =>
        json is null ? [] : [.. (JsonSerializer.Deserialize<decimal[][]>(json, Json) ?? []).Select(l => new StockLot(l[0], l[1]))];

    private static string? LotsJson(IReadOnlyList<StockLot> lots) =>
        lots.Count == 0 ? null : JsonSerializer.Serialize(lots.Select(l => new[] { l.Qty, l.Rate }), Json);

    private sealed record LaterRow(long Id, long VoucherId, int LineNo, DateOnly PostingDate, string VoucherType, decimal QtyChange, decimal IncomingRate,
        decimal QtyAfter, decimal Rate, decimal ValueChange, string CounterAccount, string? CounterCostCenter, int? ValueFromLine, bool AtCurrentRate);
}
