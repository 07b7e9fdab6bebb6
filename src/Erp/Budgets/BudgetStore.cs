using Dapper;
using Npgsql;

namespace Integration.Erp.Budgets;

internal static class BudgetStore
{
    private const string Columns = """
        id AS Id, company AS Company, fiscal_year AS FiscalYear, cost_center AS CostCenter, account AS Account,
        annual_amount AS AnnualAmount, monthly_distribution AS MonthlyDistribution, annual_action AS AnnualAction,
        monthly_action AS MonthlyAction, warn_threshold_percent AS WarnThresholdPercent
        """;

    public static async Task<Budget> CreateAsync(NpgsqlConnection connection, Budget budget)
    {
        if (!Budget.Actions.Contains(budget.AnnualAction) || !Budget.Actions.Contains(budget.MonthlyAction))
        {
            throw new ErpRuleException("invalid-budget-action", "Actions are Stop, Warn or Ignore.", 400);
        }

        var year = await connection.QuerySingleOrDefaultAsync<(DateOnly Start, DateOnly End)?>(
            "SELECT start_date, end_date FROM erp.fiscal_year WHERE company = @Company AND id = @FiscalYear", budget)
            ?? throw new ErpRuleException("unknown-fiscal-year", $"No fiscal year '{budget.FiscalYear}' in {budget.Company}.", 400);
        // One share per month of the fiscal year, whatever its length (a half year has 6, a long first year up to 18).
        var months = BudgetCheck.MonthIndex(year.Start, year.End) + 1;
        if (budget.MonthlyDistribution is { } distribution
            && (distribution.Count != months || distribution.Any(p => p < 0) || distribution.Sum() != 100m))
        {
            throw new ErpRuleException("invalid-monthly-distribution",
                $"A monthly distribution has one non-negative percentage for each of the {months} months of fiscal year {budget.FiscalYear}, summing to 100.", 400);
        }

        var account = await connection.QuerySingleOrDefaultAsync<(string RootType, bool IsGroup)>(
            "SELECT root_type, is_group FROM erp.account WHERE company = @Company AND id = @Account", budget);
        if (account.RootType is null)
        {
            throw new ErpRuleException("unknown-account", $"No account '{budget.Account}' in {budget.Company}.", 400);
        }

        if (account.RootType != "Expense" || account.IsGroup)
        {
            throw new ErpRuleException("not-an-expense-account", $"Budgets are set on expense ledger accounts; '{budget.Account}' is not one.", 400);
        }

        try
        {
            var id = await connection.ExecuteScalarAsync<long>("""
                INSERT INTO erp.budget (company, fiscal_year, cost_center, account, annual_amount, monthly_distribution,
                    annual_action, monthly_action, warn_threshold_percent)
                VALUES (@Company, @FiscalYear, @CostCenter, @Account, @AnnualAmount, @Distribution, @AnnualAction, @MonthlyAction, @WarnThresholdPercent)
                RETURNING id
                """, new
            {
                budget.Company, budget.FiscalYear, budget.CostCenter, budget.Account, budget.AnnualAmount,
                Distribution = budget.MonthlyDistribution?.ToArray(), budget.AnnualAction, budget.MonthlyAction, budget.WarnThresholdPercent,
            });
            return budget with { Id = id };
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new ErpRuleException("duplicate-budget", "A budget for this fiscal year, cost center and account exists.", 409);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            throw new ErpRuleException("unknown-reference", $"Unknown fiscal year or cost center: {ex.ConstraintName}.", 400);
        }
    }

    public static async Task<IReadOnlyList<Budget>> ListAsync(NpgsqlConnection connection, string company, string? fiscalYear) =>
        [.. (await connection.QueryAsync<BudgetRow>($"""
            SELECT {Columns} FROM erp.budget WHERE company = @company AND (@fiscalYear::text IS NULL OR fiscal_year = @fiscalYear)
            ORDER BY fiscal_year, cost_center, account
            """, new { company, fiscalYear })).Select(r => r.ToBudget())];

    /// <summary>Budgets that cover the (account, cost center) keys (set on the cost center or an ancestor), locked for the check.</summary>
    public static async Task<IReadOnlyList<Budget>> LockCoveringAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string company, string fiscalYear, IReadOnlyList<(string Account, string CostCenter)> keys) =>
        [.. (await connection.QueryAsync<BudgetRow>($"""
            WITH RECURSIVE key AS (
                SELECT * FROM unnest(@accounts::text[], @costCenters::text[]) AS k(account, cost_center)
            ), up AS (
                SELECT k.account, c.id, c.parent FROM key k JOIN erp.cost_center c ON c.company = @company AND c.id = k.cost_center
                UNION
                SELECT up.account, c.id, c.parent FROM up JOIN erp.cost_center c ON c.company = @company AND c.id = up.parent
            )
            SELECT {Columns} FROM erp.budget
            WHERE company = @company AND fiscal_year = @fiscalYear
              AND (account, cost_center) IN (SELECT account, id FROM up)
            ORDER BY id
            FOR UPDATE
            """, new { company, fiscalYear, accounts = keys.Select(k => k.Account).ToArray(), costCenters = keys.Select(k => k.CostCenter).ToArray() },
            transaction)).Select(r => r.ToBudget())];

    // A class with setters: Dapper reads numeric[] as System.Array, which no constructor parameter matches.
    private sealed class BudgetRow
    {
        public long Id { get; set; }

        public string Company { get; set; } = "";

        public string FiscalYear { get; set; } = "";

        public string CostCenter { get; set; } = "";

        public string Account { get; set; } = "";

        public decimal AnnualAmount { get; set; }

        public decimal[]? MonthlyDistribution { get; set; }

        public string AnnualAction { get; set; } = "";

        public string MonthlyAction { get; set; } = "";

        public decimal WarnThresholdPercent { get; set; }

        public Budget ToBudget() => new(Id, Company, FiscalYear, CostCenter, Account, AnnualAmount, MonthlyDistribution,
            AnnualAction, MonthlyAction, WarnThresholdPercent);
    }
}
