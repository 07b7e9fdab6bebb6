using Dapper;
using Npgsql;

namespace Integration.Erp.Stock;

/// <summary>A page of stock balances that changed since a watermark, the cursor of the next page, and the watermark to keep once every page is read.</summary>
public sealed record StockChangePage(IReadOnlyList<StockBalance> Balances, string? Cursor, long Watermark);

/// <summary>
/// The stock balances that changed since a watermark (0: all of them, a full re-upload), page by page in SKU and
/// warehouse order. The watermark is a transaction id: see migration 0006_stock_feed for why nothing committed late
/// is skipped. Each balance carries its available-to-promise quantity (nothing for an item on hold).
/// </summary>
public sealed class StockFeed(NpgsqlDataSource dataSource)
{
    public async Task<StockChangePage> ChangesAsync(string company, long since, string? cursor, int limit, IReadOnlyCollection<string>? warehouses, CancellationToken cancellationToken)
    {
        limit = Math.Clamp(limit, 1, 5000);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // The first page takes the watermark before it reads: a transaction running now commits after this read and is
        // seen next time. Later pages carry it in the cursor, so every page answers the same one.
        var (watermark, afterSku, afterWarehouse) = cursor?.Split('\n') is [var m, var s, var w]
            ? (long.Parse(m, System.Globalization.CultureInfo.InvariantCulture), s, w)
            : (await WatermarkAsync(connection), "", "");
        var rows = (await connection.QueryAsync<StockBalance>($"""
            {StockLedger.BalanceSelect}
            WHERE b.company = @company AND b.changed_xid >= @since::text::xid8
              AND (b.sku, b.warehouse) > (@afterSku, @afterWarehouse)
              AND (@warehouses::text[] IS NULL OR b.warehouse = ANY(@warehouses))
            ORDER BY b.sku, b.warehouse
            LIMIT @take
            """, new { company, since = since.ToString(System.Globalization.CultureInfo.InvariantCulture), afterSku, afterWarehouse, warehouses = warehouses?.ToArray(), take = limit + 1 })).ToList();
        var more = rows.Count > limit;
        if (more)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        return new StockChangePage(rows, more ? $"{watermark}\n{rows[^1].Sku}\n{rows[^1].Warehouse}" : null, watermark);
    }

    /// <summary>
    /// The balances of these SKUs now (only those warehouses when given), in SKU and warehouse order: what a product
    /// created in a store starts with. A SKU with no bin has no balance.
    /// </summary>
    public async Task<IReadOnlyList<StockBalance>> BalancesOfAsync(string company, IReadOnlyCollection<string> skus, IReadOnlyCollection<string>? warehouses, CancellationToken cancellationToken)
    {
        if (skus.Count == 0)
        {
            return [];
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<StockBalance>(new CommandDefinition($"""
            {StockLedger.BalanceSelect}
            WHERE b.company = @company AND b.sku = ANY(@skus)
              AND (@warehouses::text[] IS NULL OR b.warehouse = ANY(@warehouses))
            ORDER BY b.sku, b.warehouse
            """, new { company, skus = skus.ToArray(), warehouses = warehouses?.ToArray() }, cancellationToken: cancellationToken))];
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
