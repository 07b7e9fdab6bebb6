using Dapper;
using Npgsql;

namespace Integration.Erp.Companies;

internal static class CompanyStore
{
    internal const string Query = $"SELECT {Columns} FROM erp.company WHERE id = @company";

    private const string Columns = """
        id AS Id, name AS Name, currency AS Currency, currency_precision AS CurrencyPrecision,
        round_off_account AS RoundOffAccount, default_cost_center AS DefaultCostCenter, allow_negative_stock AS AllowNegativeStock,
        stock_adjustment_account AS StockAdjustmentAccount, stock_received_not_billed_account AS StockReceivedNotBilledAccount,
        receivable_account AS ReceivableAccount, output_tax_account AS OutputTaxAccount
        """;

    public static async Task<Company> GetAsync(NpgsqlConnection connection, string id, NpgsqlTransaction? transaction = null) =>
        await connection.QuerySingleOrDefaultAsync<CompanyRow>($"SELECT {Columns} FROM erp.company WHERE id = @id", new { id }, transaction) is { } row
            ? row.ToCompany()
            : throw ErpRuleException.NotFound("unknown-company", $"No company '{id}'.");

    public static async Task<IReadOnlyList<Company>> ListAsync(NpgsqlConnection connection) =>
        [.. (await connection.QueryAsync<CompanyRow>($"SELECT {Columns} FROM erp.company ORDER BY id")).Select(r => r.ToCompany())];

    internal sealed record CompanyRow(
        string Id, string Name, string Currency, short CurrencyPrecision, string? RoundOffAccount, string? DefaultCostCenter,
        bool AllowNegativeStock, string? StockAdjustmentAccount, string? StockReceivedNotBilledAccount, string? ReceivableAccount, string? OutputTaxAccount)
    {
        public Company ToCompany() => new(Id, Name, Currency.Trim(), CurrencyPrecision, RoundOffAccount, DefaultCostCenter,
            AllowNegativeStock, StockAdjustmentAccount, StockReceivedNotBilledAccount, ReceivableAccount, OutputTaxAccount);
    }
}
