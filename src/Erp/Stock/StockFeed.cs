using Dapper;
using Npgsql;

namespace Integration.Erp.Stock;

/// <summary>
/// A page of stock balances that changed since a watermark, the cursor of the next page, and the watermark to keep once
/// every page is read; <see cref="Held"/>: the units of store orders not booked yet taken off each balance's
/// available-to-promise (by SKU and warehouse, only those holding some).
/// </summary>
public sealed record StockChangePage(IReadOnlyList<StockBalance> Balances, string? Cursor, long Watermark, IReadOnlyDictionary<(string Sku, string Warehouse), decimal>? Held = null);

/// <summary>
/// The stock balances that changed since a watermark (0: all of them, a full re-upload), page by page in SKU and
/// warehouse order. The watermark is a transaction id: see migration 0006_stock_feed for why nothing committed late
/// is skipped. Each balance carries its available-to-promise quantity (nothing for an item on hold), less the units of
/// the store orders given that the ERP has not booked yet: a store lowered its own stock for them, and a push of the
/// ERP's balance alone would put them back on sale until the order is booked (longer when it stops at an incident).
/// </summary>
public sealed class StockFeed(NpgsqlDataSource dataSource)
{
    public async Task<StockChangePage> ChangesAsync(
        string company, long since, string? cursor, int limit, IReadOnlyCollection<string>? warehouses, CancellationToken cancellationToken,
        IReadOnlyCollection<StoreOrderLine>? storeOrders = null)
    {
        limit = Math.Clamp(limit, 1, 5000);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // The first page takes the watermark before it reads: a transaction running now commits after this read and is
        // seen next time. Later pages carry it in the cursor, so every page answers the same one.
        var (watermark, afterSku, afterWarehouse) = cursor?.Split('\n') is [var m, var s, var w]
            ? (long.Parse(m, System.Globalization.CultureInfo.InvariantCulture), s, w)
            : (await WatermarkAsync(connection), "", "");
        // The balances and the orders' bookings read in one snapshot: an order booked in between is either held or
        // already off the balance, never both (which would show too little until the item changed again).
        await using var snapshot = storeOrders is { Count: > 0 } ? await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken) : null;
        var rows = (await connection.QueryAsync<StockBalance>($"""
            {StockLedger.BalanceSelect}
            WHERE b.company = @company AND b.changed_xid >= @since::text::xid8
              AND (b.sku, b.warehouse) > (@afterSku, @afterWarehouse)
              AND (@warehouses::text[] IS NULL OR b.warehouse = ANY(@warehouses))
            ORDER BY b.sku, b.warehouse
            LIMIT @take
            """, new { company, since = since.ToString(System.Globalization.CultureInfo.InvariantCulture), afterSku, afterWarehouse, warehouses = warehouses?.ToArray(), take = limit + 1 },
            snapshot)).ToList();
        var more = rows.Count > limit;
        if (more)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        var page = new StockChangePage(rows, more ? $"{watermark}\n{rows[^1].Sku}\n{rows[^1].Warehouse}" : null, watermark);
        if (snapshot is null || rows.Count == 0)
        {
            return page;
        }

        var held = await HeldAsync(connection, snapshot, company, storeOrders!, cancellationToken);
        await snapshot.CommitAsync(cancellationToken);
        return page with
        {
            Balances = [.. rows.Select(b => held.TryGetValue((b.Sku, b.Warehouse), out var qty) ? b with { AvailableToPromise = Math.Max(0, b.AvailableToPromise - qty) } : b)],
            Held = held,
        };
    }

    // The units of the given store orders the ERP has not booked, by SKU and warehouse. Booked: an open sales order reserves
    // them, or an invoice or delivery issued them and no cancellation credited it back (an order cancelled after invoicing
    // and set active again in the store has taken its stock again; a sales order its invoice completed reserves nothing).
    private static async Task<IReadOnlyDictionary<(string Sku, string Warehouse), decimal>> HeldAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string company, IReadOnlyCollection<StoreOrderLine> lines, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<(string Sku, string Warehouse, decimal Qty)>(new CommandDefinition("""
            SELECT h.sku, h.warehouse, sum(h.qty) FROM unnest(@systems, @stores, @ids, @skus, @warehouses, @qtys) AS h(system, store, id, sku, warehouse, qty)
            WHERE NOT EXISTS (
                SELECT 1 FROM erp.sales_document d
                WHERE d.company = @company AND d.doc_type = ANY(@booked) AND d.source_system = h.system AND d.source_store = h.store AND d.source_id = h.id
                  AND CASE WHEN d.doc_type = @order THEN d.status = 'Open'
                           ELSE NOT EXISTS (
                               SELECT 1 FROM erp.sales_document c
                               WHERE c.company = d.company AND c.doc_type = @credit AND c.source_system = d.source_system
                                 AND c.source_store = d.source_store AND c.source_id = d.source_id || '/cancel') END)
            GROUP BY h.sku, h.warehouse
            HAVING sum(h.qty) > 0
            """, new
        {
            company,
            booked = new[] { Sales.SalesDocuments.Order, Sales.SalesDocuments.Invoice, Sales.SalesDocuments.Delivery },
            order = Sales.SalesDocuments.Order,
            credit = Sales.SalesDocuments.Return,
            systems = lines.Select(l => l.Order.System).ToArray(),
            stores = lines.Select(l => l.Order.Store).ToArray(),
            ids = lines.Select(l => l.Order.Id).ToArray(),
            skus = lines.Select(l => l.Sku).ToArray(),
            warehouses = lines.Select(l => l.Warehouse).ToArray(),
            qtys = lines.Select(l => l.Qty).ToArray(),
        }, transaction, cancellationToken: cancellationToken)))
        .ToDictionary(h => (h.Sku, h.Warehouse), h => h.Qty);

    /// <summary>
    /// The balances of these SKUs now (only those warehouses when given), in SKU and warehouse order: what a product
    /// created in a store starts with. A SKU with no bin has no balance. Given store orders, the units of those the ERP
    /// has not booked are held off available-to-promise, as <see cref="ChangesAsync"/> holds them.
    /// </summary>
    public async Task<IReadOnlyList<StockBalance>> BalancesOfAsync(
        string company, IReadOnlyCollection<string> skus, IReadOnlyCollection<string>? warehouses, CancellationToken cancellationToken,
        IReadOnlyCollection<StoreOrderLine>? storeOrders = null)
    {
        if (skus.Count == 0)
        {
            return [];
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var snapshot = storeOrders is { Count: > 0 } ? await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken) : null;
        var rows = (await connection.QueryAsync<StockBalance>(new CommandDefinition($"""
            {StockLedger.BalanceSelect}
            WHERE b.company = @company AND b.sku = ANY(@skus)
              AND (@warehouses::text[] IS NULL OR b.warehouse = ANY(@warehouses))
            ORDER BY b.sku, b.warehouse
            """, new { company, skus = skus.ToArray(), warehouses = warehouses?.ToArray() }, snapshot, cancellationToken: cancellationToken))).ToList();
        if (snapshot is null || rows.Count == 0)
        {
            return rows;
        }

        var held = await HeldAsync(connection, snapshot, company, storeOrders!, cancellationToken);
        await snapshot.CommitAsync(cancellationToken);
        return [.. rows.Select(b => held.TryGetValue((b.Sku, b.Warehouse), out var qty) ? b with { AvailableToPromise = Math.Max(0, b.AvailableToPromise - qty) } : b)];
    }

    /// <summary>
    /// The oldest transaction of this database still running, or the next transaction id when none is. Transaction ids
    /// are counted for the whole cluster, but only this database's transactions can change its bins: one left open in
    /// another database (a report, another tenant) must not hold the watermark back and make every run repeat pages.
    /// Falls back to the cluster's oldest when a session of this database hides its transaction from our role.
    /// </summary>
    private static async Task<long> WatermarkAsync(NpgsqlConnection connection)
    {
        var snapshot = PgSnapshot.Parse(await connection.ExecuteScalarAsync<string>("SELECT pg_current_snapshot()::text")
            ?? throw new InvalidOperationException("PostgreSQL returned no snapshot."));
        // Read after the snapshot (a statement of its own): a transaction of the snapshot missing from this list has
        // ended by now, so the balance query that follows sees what it wrote.
        var sessions = (await connection.QueryAsync<(string? Xid, bool Hidden)>("""
            SELECT backend_xid::text, query = '<insufficient privilege>'
            FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
            """)).ToList();
        if (sessions.Any(s => s.Hidden))
        {
            return snapshot.Xmin;
        }

        var ours = sessions.Where(s => s.Xid is not null).Select(s => uint.Parse(s.Xid!, System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        // backend_xid is the 32-bit xid; the snapshot's are 64-bit (epoch above): the low 32 bits identify one.
        return snapshot.Running.Where(x => ours.Contains(unchecked((uint)x))).DefaultIfEmpty(snapshot.Xmax).Min();
    }
}
