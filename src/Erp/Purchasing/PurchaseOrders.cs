using Dapper;
using Integration.Erp.Stock;
using Npgsql;

namespace Integration.Erp.Purchasing;

public sealed record PurchaseOrderLine(string Sku, string Warehouse, decimal Qty, decimal Rate);

public sealed record PurchaseOrderRequest(string Company, string Supplier, DateOnly OrderDate, IReadOnlyList<PurchaseOrderLine> Lines, long? PurchaseRequestId = null);

public sealed record ReceiptLine(int LineNo, decimal Qty);

/// <summary>A purchase order with its lines and what has been received of each.</summary>
public sealed record PurchaseOrder(long Id, string Company, string OrderNo, string Supplier, DateOnly OrderDate, string Status, long? PurchaseRequestId, IReadOnlyList<PurchaseOrderLineState> Lines);

public sealed record PurchaseOrderLineState(int LineNo, string Sku, string Warehouse, decimal Qty, decimal Rate, decimal ReceivedQty);

/// <summary>
/// Purchase orders: ordering raises the bins' <c>ordered</c> quantity (so projected stock counts it and the reorder
/// request it answers is fulfilled); receiving posts a stock receipt at the order's rate and lowers <c>ordered</c>.
/// </summary>
public sealed class PurchaseOrders(NpgsqlDataSource dataSource)
{
    public async Task<PurchaseOrder> CreateAsync(PurchaseOrderRequest request, CancellationToken cancellationToken)
    {
        if (request.Lines.Count == 0)
        {
            throw new ErpRuleException("no-lines", "A purchase order needs at least one line.", 400);
        }

        if (request.Lines.Any(l => l.Qty <= 0 || l.Rate < 0))
        {
            throw new ErpRuleException("invalid-quantity", "A purchase order's lines have positive quantities and rates of zero or more: receiving one at a negative rate would value the stock below zero.", 400);
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var id = await connection.ExecuteScalarAsync<long>("""
            WITH next AS (SELECT nextval(pg_get_serial_sequence('erp.purchase_order', 'id')) AS id)
            INSERT INTO erp.purchase_order (id, company, order_no, supplier, order_date, purchase_request_id)
            OVERRIDING SYSTEM VALUE
            SELECT next.id, @Company, erp.document_number('PO', @OrderDate::date, next.id), @Supplier, @OrderDate, @PurchaseRequestId
            FROM next RETURNING id
            """, new { request.Company, request.Supplier, request.OrderDate, request.PurchaseRequestId }, transaction);
        var n = 0;
        foreach (var line in request.Lines.OrderBy(l => l.Sku, StringComparer.Ordinal).ThenBy(l => l.Warehouse, StringComparer.Ordinal))
        {
            await connection.ExecuteAsync("""
                INSERT INTO erp.purchase_order_line (order_id, line_no, sku, warehouse, qty, rate) VALUES (@id, @n, @Sku, @Warehouse, @Qty, @Rate)
                """, new { id, n = ++n, line.Sku, line.Warehouse, line.Qty, line.Rate }, transaction);
            await OrderedAsync(connection, transaction, request.Company, line.Sku, line.Warehouse, line.Qty);
        }

        if (request.PurchaseRequestId is { } pr)
        {
            await connection.ExecuteAsync(
                "UPDATE erp.purchase_request SET status = 'Fulfilled', closed_at = now() WHERE id = @pr AND company = @Company AND status = 'Open'",
                new { pr, request.Company }, transaction);
        }

        await Reorder.ReorderCheck.RunAsync(connection, transaction, request.Company, request.Lines.Select(l => (l.Sku, l.Warehouse)));
        await transaction.CommitAsync(cancellationToken);
        return await GetAsync(connection, id);
    }

    /// <summary>
    /// Receives quantities of an order's lines: a stock receipt at the order's rate, ordered quantity down, in one
    /// transaction under the order's lock, so two receipts of one order at once cannot take more than was ordered.
    /// A receipt is made once per <paramref name="deliveryNote"/> (the supplier's, or the warehouse's goods-received
    /// number): the same note again is a retry. Without one, the same lines, quantities and day again are taken as a
    /// retry, so two equal deliveries on one day need their notes.
    /// </summary>
    public async Task<PurchaseOrder> ReceiveAsync(string company, long id, DateOnly date, IReadOnlyList<ReceiptLine> lines, CancellationToken cancellationToken, string? deliveryNote = null)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync("SELECT 1 FROM erp.purchase_order WHERE id = @id FOR UPDATE", new { id }, transaction);
        var order = await GetAsync(connection, id);
        var key = string.IsNullOrWhiteSpace(deliveryNote) ? $"{order.OrderNo}:{string.Join(',', lines.Select(l => $"{l.LineNo}x{l.Qty}"))}:{date:yyyyMMdd}"
            : $"{order.OrderNo}:note:{deliveryNote.Trim()}";
        if (order.Company == company && await StockEntries.FindAsync(connection, company, StockEntries.EntryType, key) is not null)
        {
            return order;
        }

        if (order.Company != company || order.Status != "Open")
        {
            throw new ErpRuleException("not-open", $"Purchase order {id} is not open in {company}.", 409);
        }

        var receipt = new List<StockEntryLine>();
        foreach (var r in lines)
        {
            var line = order.Lines.FirstOrDefault(l => l.LineNo == r.LineNo) ?? throw new ErpRuleException("unknown-order-line", $"{order.OrderNo} has no line {r.LineNo}.", 400);
            // A line named twice in one receipt counts both times.
            var asked = lines.Where(l => l.LineNo == r.LineNo).Sum(l => l.Qty);
            if (r.Qty <= 0 || line.ReceivedQty + asked > line.Qty)
            {
                throw new ErpRuleException("receipt-exceeds-order", $"Line {r.LineNo} ordered {line.Qty:0.###}, received {line.ReceivedQty:0.###}; {asked:0.###} more is too much.");
            }

            receipt.Add(new StockEntryLine(line.Sku, r.Qty, line.Rate, line.Warehouse));
        }

        await StockEntries.PostAsync(connection, transaction, new StockEntryRequest(company, "Receipt", date, receipt, Remarks: $"Receipt for {order.OrderNo}"), key, cancellationToken);
        foreach (var r in lines)
        {
            var line = order.Lines.First(l => l.LineNo == r.LineNo);
            await connection.ExecuteAsync("UPDATE erp.purchase_order_line SET received_qty = received_qty + @Qty WHERE order_id = @id AND line_no = @LineNo", new { r.Qty, id, r.LineNo }, transaction);
            await OrderedAsync(connection, transaction, company, line.Sku, line.Warehouse, -r.Qty);
        }

        await connection.ExecuteAsync("""
            UPDATE erp.purchase_order SET status = 'Received'
            WHERE id = @id AND NOT EXISTS (SELECT 1 FROM erp.purchase_order_line WHERE order_id = @id AND received_qty < qty)
            """, new { id }, transaction);
        await transaction.CommitAsync(cancellationToken);
        return await GetAsync(connection, id);
    }

    public async Task<PurchaseOrder> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await GetAsync(connection, id);
    }

    private static async Task OrderedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string company, string sku, string warehouse, decimal delta) =>
        await connection.ExecuteAsync("""
            INSERT INTO erp.bin AS b (company, sku, warehouse, ordered_qty) VALUES (@company, @sku, @warehouse, @delta)
            ON CONFLICT (company, sku, warehouse) DO UPDATE SET ordered_qty = b.ordered_qty + @delta
            """, new { company, sku, warehouse, delta }, transaction);

    private static async Task<PurchaseOrder> GetAsync(NpgsqlConnection connection, long id)
    {
        var order = await connection.QuerySingleOrDefaultAsync<(long Id, string Company, string OrderNo, string Supplier, DateOnly OrderDate, string Status, long? PurchaseRequestId)>(
            "SELECT id, company, order_no, supplier, order_date, status, purchase_request_id FROM erp.purchase_order WHERE id = @id", new { id });
        if (order.OrderNo is null)
        {
            throw ErpRuleException.NotFound("unknown-purchase-order", $"No purchase order {id}.");
        }

        var lines = await connection.QueryAsync<PurchaseOrderLineState>("""
            SELECT line_no AS LineNo, sku AS Sku, warehouse AS Warehouse, qty AS Qty, rate AS Rate, received_qty AS ReceivedQty
            FROM erp.purchase_order_line WHERE order_id = @id ORDER BY line_no
            """, new { id });
        return new PurchaseOrder(order.Id, order.Company, order.OrderNo, order.Supplier, order.OrderDate, order.Status, order.PurchaseRequestId, [.. lines]);
    }
}
