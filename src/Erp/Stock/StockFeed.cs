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
            : (await connection.ExecuteScalarAsync<long>("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint"), "", "");
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
}
