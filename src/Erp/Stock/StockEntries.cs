using System.Text.Json;
using Dapper;
using Integration.Erp.Companies;
using Integration.Erp.Ledger;
using Npgsql;

namespace Integration.Erp.Stock;

/// <summary>A line of a stock entry: <see cref="Qty"/> is always positive; the purpose says which way it moves.</summary>
public sealed record StockEntryLine(string Sku, decimal Qty, decimal? Rate = null, string? Warehouse = null, string? FromWarehouse = null, string? ToWarehouse = null);

/// <summary>
/// A stock entry: Receipt (into <c>warehouse</c>, at <c>rate</c>), Issue (out of <c>warehouse</c>), Transfer
/// (<c>fromWarehouse</c> to <c>toWarehouse</c>, at the source's valuation) or Reconciliation (the counted
/// <c>qty</c> at <c>rate</c> replaces the books). The other side of the value change goes to
/// <see cref="CounterAccount"/>, by default Stock Received But Not Billed for receipts and Stock Adjustment otherwise.
/// </summary>
public sealed record StockEntryRequest(
    string Company, string Purpose, DateOnly PostingDate, IReadOnlyList<StockEntryLine> Lines, string? CounterAccount = null, string? Remarks = null);

/// <summary>A posted stock entry with the stock ledger rows and GL entries it made.</summary>
public sealed record StockEntry(
    long Id, string Company, string VoucherNo, string Purpose, DateOnly PostingDate, IReadOnlyList<StockLedgerEntry> StockLedger,
    IReadOnlyList<GlEntry> GlEntries, IReadOnlyList<string> Warnings);

/// <summary>One row of the stock ledger.</summary>
public sealed record StockLedgerEntry(
    long Id, string Sku, string Warehouse, DateOnly PostingDate, string VoucherType, string VoucherNo, decimal QtyChange, decimal IncomingRate,
    decimal QtyAfter, decimal ValuationRate, decimal StockValue, decimal ValueChange);

/// <summary>Posts stock entries; idempotent on the caller's key.</summary>
public sealed class StockEntries(NpgsqlDataSource dataSource)
{
    internal const string EntryType = "Stock Entry";
    internal const string ReconciliationType = "Stock Reconciliation";
    private static readonly string[] Purposes = ["Receipt", "Issue", "Transfer", "Reconciliation"];

    // UNIQUE (company, voucher_type, idempotency_key) of erp.voucher, as PostgreSQL names it.
    private const string IdempotencyConstraint = "voucher_company_voucher_type_idempotency_key_key";

    public async Task<(StockEntry Entry, bool Existed)> PostAsync(StockEntryRequest request, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var voucherType = Check(request);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (idempotencyKey is not null && await FindAsync(connection, request.Company, voucherType, idempotencyKey) is { } existing)
        {
            return (await GetAsync(connection, existing, []), true);
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            var (id, warnings) = await PostAsync(connection, transaction, request, idempotencyKey, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return (await GetAsync(connection, id, warnings), false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && idempotencyKey is not null && ex.ConstraintName == IdempotencyConstraint)
        {
            // The same key posted by another request meanwhile: that entry is the answer.
            await transaction.RollbackAsync(cancellationToken);
            return await PostAsync(request, idempotencyKey, cancellationToken);
        }
    }

    /// <summary>
    /// Posts the entry in the caller's transaction (a purchase order's receipt, with the order's own update); the caller
    /// looked for an entry of the same key first (<see cref="FindAsync"/>) under a lock that keeps a second one out.
    /// </summary>
    internal static async Task<(long Id, IReadOnlyList<string> Warnings)> PostAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, StockEntryRequest request, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var voucherType = Check(request);
        var company = await CompanyStore.GetAsync(connection, request.Company, transaction);
        var warehouses = (await connection.QueryAsync<(string Id, string? StockAccount)>(
            "SELECT id, stock_account FROM erp.warehouse WHERE company = @Company", new { request.Company }, transaction)).ToDictionary(w => w.Id, w => w.StockAccount);
        if (request.CounterAccount is { } counter && await connection.ExecuteScalarAsync<string?>(
                "SELECT account_type FROM erp.account WHERE company = @Company AND id = @counter", new { request.Company, counter }, transaction) == "Stock")
        {
            // Stock against a stock account would change the stock ledger's value and leave the stock accounts' balance as it was.
            throw new ErpRuleException("stock-account", $"The counter account '{counter}' is a stock account; a stock entry's value goes against a non-stock account (stock adjustment, received not billed).", 422);
        }

        var movements = Movements(request, company, warehouses);
        var (id, voucherNo) = await VoucherStore.InsertAsync(connection, transaction, request.Company, voucherType,
            request.Purpose == "Reconciliation" ? "SR" : "STE", request.PostingDate, "posted", request.Remarks ?? request.Purpose,
            JsonSerializer.Serialize(request, JsonSerializerOptions.Web), idempotencyKey);
        return (id, await StockPosting.PostAsync(connection, transaction, company, id, voucherNo, voucherType, request.PostingDate, movements, cancellationToken));
    }

    /// <summary>The entry posted before with this key, if any.</summary>
    internal static Task<long?> FindAsync(NpgsqlConnection connection, string company, string voucherType, string idempotencyKey) =>
        connection.ExecuteScalarAsync<long?>(
            "SELECT id FROM erp.voucher WHERE company = @company AND voucher_type = @voucherType AND idempotency_key = @idempotencyKey",
            new { company, voucherType, idempotencyKey });

    // The request's voucher type, once its purpose and quantities are known good.
    private static string Check(StockEntryRequest request)
    {
        if (!Purposes.Contains(request.Purpose))
        {
            throw new ErpRuleException("invalid-purpose", $"Purpose is one of {string.Join(", ", Purposes)}.", 400);
        }

        if (request.Lines.Count == 0 || request.Lines.Any(l => l.Qty < 0 || (l.Qty == 0 && request.Purpose != "Reconciliation")))
        {
            throw new ErpRuleException("invalid-quantity", "A stock entry has lines with positive quantities (zero only when counting).", 400);
        }

        // A negative rate would give the stock a negative value, and later issues a negative cost.
        if (request.Lines.Any(l => l.Rate < 0))
        {
            throw new ErpRuleException("invalid-rate", "A stock entry's rates are zero or more.", 400);
        }

        return request.Purpose == "Reconciliation" ? ReconciliationType : EntryType;
    }

    public async Task<StockEntry> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await GetAsync(connection, id, []);
    }

    private static async Task<StockEntry> GetAsync(NpgsqlConnection connection, long id, IReadOnlyList<string> warnings)
    {
        var voucher = await connection.QuerySingleOrDefaultAsync<(string Company, string VoucherNo, DateOnly PostingDate, string? Remarks, string Type)>(
            "SELECT company, voucher_no, posting_date, remarks, voucher_type FROM erp.voucher WHERE id = @id AND voucher_type IN ('Stock Entry', 'Stock Reconciliation')", new { id });
        if (voucher.Company is null)
        {
            throw ErpRuleException.NotFound("unknown-stock-entry", $"No stock entry {id}.");
        }

        var ledger = await StockLedger.ForVoucherAsync(connection, id);
        var gl = await GlEntryStore.ForVoucherAsync(connection, null, id);
        return new StockEntry(id, voucher.Company, voucher.VoucherNo, voucher.Type == ReconciliationType ? "Reconciliation" : voucher.Remarks ?? "",
            voucher.PostingDate, ledger, gl, warnings);
    }

    private static List<StockMovement> Movements(StockEntryRequest request, Company company, Dictionary<string, string?> warehouses)
    {
        string Warehouse(string? id, int line, string role) =>
            id is not null && warehouses.ContainsKey(id) ? id
            : throw new ErpRuleException("unknown-warehouse", $"Line {line}: {role} warehouse '{id}' does not exist.");

        var movements = new List<StockMovement>();
        for (var i = 0; i < request.Lines.Count; i++)
        {
            var line = request.Lines[i];
            var n = i + 1;
            switch (request.Purpose)
            {
                case "Receipt":
                    movements.Add(new StockMovement(n, line.Sku, Warehouse(line.Warehouse ?? line.ToWarehouse, n, "target"), line.Qty, line.Rate,
                        request.CounterAccount ?? company.StockReceivedNotBilledAccount!, null));
                    break;
                case "Issue":
                    movements.Add(new StockMovement(n, line.Sku, Warehouse(line.Warehouse ?? line.FromWarehouse, n, "source"), -line.Qty, null,
                        request.CounterAccount ?? company.StockAdjustmentAccount!, null));
                    break;
                case "Reconciliation":
                    movements.Add(new StockMovement(n, line.Sku, Warehouse(line.Warehouse, n, "counted"), 0, line.Rate,
                        request.CounterAccount ?? company.StockAdjustmentAccount!, null, CountedQty: line.Qty));
                    break;
                default:
                    var from = Warehouse(line.FromWarehouse, n, "source");
                    var to = Warehouse(line.ToWarehouse, n, "target");
                    // Issue side moves the value between the stock accounts; the receiving side takes it at that value.
                    movements.Add(new StockMovement((2 * n) - 1, line.Sku, from, -line.Qty, null, warehouses[to]!, null));
                    movements.Add(new StockMovement(2 * n, line.Sku, to, line.Qty, null, warehouses[from]!, null, ValueFrom: (2 * n) - 1, PostsGl: false));
                    break;
            }
        }

        return movements;
    }
}
