using Dapper;
using Npgsql;

namespace Integration.Erp.Warehouses;

internal static class WarehouseStore
{
    internal const string Columns = "company AS Company, id AS Id, name AS Name, parent AS Parent, is_group AS IsGroup, stock_account AS StockAccount";

    public static async Task CreateAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Warehouse warehouse)
    {
        if (!warehouse.IsGroup && warehouse.StockAccount is null)
        {
            throw new ErpRuleException("stock-account-required", $"Warehouse '{warehouse.Id}' needs a stock account.", 400);
        }

        // The stock account's balance is the warehouse's stock value: journal entries may not touch it, which the ledger
        // knows by its type. An account of another type would let them, and stock and books part.
        if (warehouse.StockAccount is { } account && await connection.QuerySingleOrDefaultAsync<(string? Type, bool IsGroup)?>(
                "SELECT account_type, is_group FROM erp.account WHERE company = @Company AND id = @account", new { warehouse.Company, account }, transaction) is { } found
            && (found.Type != "Stock" || found.IsGroup))
        {
            throw new ErpRuleException("stock-account-type",
                $"Warehouse '{warehouse.Id}': account '{account}' is {(found.IsGroup ? "a group" : $"of type {found.Type ?? "(none)"}")}; a warehouse's stock account is a ledger account of type Stock.", 400);
        }

        try
        {
            await connection.ExecuteAsync("""
                INSERT INTO erp.warehouse (company, id, name, parent, is_group, stock_account)
                VALUES (@Company, @Id, @Name, @Parent, @IsGroup, @StockAccount)
                """, warehouse, transaction);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new ErpRuleException("duplicate-warehouse", $"Warehouse '{warehouse.Id}' exists.", 409);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            throw new ErpRuleException("unknown-reference", $"Unknown parent warehouse or stock account ({ex.ConstraintName}).", 400);
        }
    }

    public static async Task<IReadOnlyList<Warehouse>> ListAsync(NpgsqlConnection connection, string company) =>
        [.. await connection.QueryAsync<Warehouse>($"SELECT {Columns} FROM erp.warehouse WHERE company = @company ORDER BY id", new { company })];
}
