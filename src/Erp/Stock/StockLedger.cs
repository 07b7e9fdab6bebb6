using Dapper;
using Npgsql;

namespace Integration.Erp.Stock;

/// <summary>Reads the stock ledger and the bins.</summary>
internal static class StockLedger
{
    private const string Columns = """
        id AS Id, sku AS Sku, warehouse AS Warehouse, posting_date AS PostingDate, voucher_type AS VoucherType, voucher_no AS VoucherNo,
        qty_change AS QtyChange, incoming_rate AS IncomingRate, qty_after AS QtyAfter, valuation_rate AS ValuationRate,
        stock_value AS StockValue, value_change AS ValueChange
        """;

    public static async Task<IReadOnlyList<StockLedgerEntry>> ForVoucherAsync(NpgsqlConnection connection, long voucherId) =>
        [.. await connection.QueryAsync<StockLedgerEntry>($"SELECT {Columns} FROM erp.stock_ledger_entry WHERE voucher_id = @voucherId ORDER BY line_no", new { voucherId })];

    /// <summary>
    /// A page of the ledger in item, warehouse, date order: <paramref name="limit"/> rows after the row whose id is
    /// <paramref name="after"/> (the last of the previous page), so a ledger of any size is read a page at a time.
    /// </summary>
    public static async Task<IReadOnlyList<StockLedgerEntry>> QueryAsync(
        NpgsqlConnection connection, string company, string? sku, string? warehouse, DateOnly? from, DateOnly? to, int limit, long? after, CancellationToken cancellationToken) =>
        [.. await connection.QueryAsync<StockLedgerEntry>(new CommandDefinition($"""
            SELECT {Columns} FROM erp.stock_ledger_entry
            WHERE company = @company AND (@sku::text IS NULL OR sku = @sku) AND (@warehouse::text IS NULL OR warehouse = @warehouse)
              AND (@from::date IS NULL OR posting_date >= @from) AND (@to::date IS NULL OR posting_date <= @to)
              AND (@after::bigint IS NULL OR (sku, warehouse, posting_date, id) > (SELECT sku, warehouse, posting_date, id FROM erp.stock_ledger_entry WHERE id = @after))
            ORDER BY sku, warehouse, posting_date, id
            LIMIT @limit
            """, new { company, sku, warehouse, from, to, limit, after }, cancellationToken: cancellationToken))];

    /// <summary>A bin as a <see cref="StockBalance"/>: projected and available-to-promise (nothing for an item on hold) are defined here once.</summary>
    internal const string BalanceSelect = """
        SELECT b.sku AS Sku, b.warehouse AS Warehouse, b.actual_qty AS ActualQty, b.reserved_qty AS ReservedQty, b.ordered_qty AS OrderedQty,
               b.actual_qty + b.ordered_qty - b.reserved_qty AS ProjectedQty,
               CASE WHEN i.status = 'Active' THEN greatest(b.actual_qty - b.reserved_qty, 0) ELSE 0 END AS AvailableToPromise,
               b.valuation_rate AS ValuationRate, b.stock_value AS StockValue
        FROM erp.bin b JOIN erp.item i ON i.company = b.company AND i.sku = b.sku
        """;

    public static async Task<IReadOnlyList<StockBalance>> BalancesAsync(NpgsqlConnection connection, string company, string? sku, string? warehouse) =>
        [.. await connection.QueryAsync<StockBalance>($"""
            {BalanceSelect}
            WHERE b.company = @company AND (@sku::text IS NULL OR b.sku = @sku) AND (@warehouse::text IS NULL OR b.warehouse = @warehouse)
            ORDER BY b.sku, b.warehouse
            """, new { company, sku, warehouse })];
}

/// <summary>
/// Stock of an item in a warehouse: actual, reserved by open sales orders, ordered from suppliers, projected
/// (actual + ordered - reserved) and available to promise (what the stores may offer; nothing for an item on hold).
/// </summary>
public sealed record StockBalance(
    string Sku, string Warehouse, decimal ActualQty, decimal ReservedQty, decimal OrderedQty, decimal ProjectedQty,
    decimal AvailableToPromise, decimal ValuationRate, decimal StockValue);
