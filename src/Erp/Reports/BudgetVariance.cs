using Dapper;
using Integration.Erp.Budgets;
using Integration.Erp.CostCenters;
using Npgsql;

namespace Integration.Erp.Reports;

/// <summary>Budget against actual for one month of one budget, with the year to date up to that month.</summary>
public sealed record BudgetVarianceMonth(string Month, decimal Budget, decimal Actual, decimal Variance, decimal? Percent, decimal BudgetToDate, decimal ActualToDate);

/// <summary>One budget's variance: per month and year to date (up to the report date).</summary>
public sealed record BudgetVarianceRow(
    long BudgetId, string CostCenter, string Account, decimal AnnualBudget, decimal ActualToDate, decimal BudgetToDate,
    decimal VarianceToDate, decimal? PercentToDate, IReadOnlyList<BudgetVarianceMonth> Months);

/// <summary>Budget variance for a company's fiscal year: budget, actual, variance (budget - actual) and percent used.</summary>
public sealed record BudgetVariance(string Company, string FiscalYear, DateOnly AsOf, IReadOnlyList<BudgetVarianceRow> Rows)
{
    internal static async Task<BudgetVariance> BuildAsync(NpgsqlConnection connection, string company, string fiscalYear, string? costCenter, DateOnly asOf)
    {
        var year = await connection.QuerySingleOrDefaultAsync<(DateOnly Start, DateOnly End)>(
            "SELECT start_date, end_date FROM erp.fiscal_year WHERE company = @company AND id = @fiscalYear", new { company, fiscalYear });
        if (year == default)
        {
            throw ErpRuleException.NotFound("unknown-fiscal-year", $"No fiscal year '{fiscalYear}' in {company}.");
        }

        var start = year.Start;
        // Every month of the fiscal year, 6 for a half year, up to 18 for a long one.
        var count = BudgetCheck.MonthIndex(year.Start, year.End) + 1;
        var budgets = (await BudgetStore.ListAsync(connection, company, fiscalYear))
            .Where(b => costCenter is null || b.CostCenter == costCenter).ToList();
        var rows = new List<BudgetVarianceRow>(budgets.Count);
        foreach (var budget in budgets)
        {
            var covered = await CostCenterStore.SelfAndDescendantsAsync(connection, null, company, budget.CostCenter);
            var actuals = (await connection.QueryAsync<(DateOnly Month, decimal Amount)>("""
                SELECT month, sum(debit - credit) FROM erp.gl_balance
                WHERE company = @company AND account = @account AND cost_center = ANY(@covered) AND month BETWEEN @start AND @end
                GROUP BY month
                """, new { company, account = budget.Account, covered, start, end = year.End }))
                .ToDictionary(a => a.Month, a => a.Amount);

            var months = new List<BudgetVarianceMonth>(count);
            decimal budgetToDate = 0, actualToDate = 0, reportedBudget = 0, reportedActual = 0;
            for (var i = 0; i < count; i++)
            {
                var month = start.AddMonths(i);
                var monthBudget = budget.MonthlyDistribution is { } d && i < d.Count ? budget.AnnualAmount * d[i] / 100m
                    : budget.MonthlyDistribution is null ? budget.AnnualAmount / count : 0m;
                var actual = actuals.GetValueOrDefault(month);
                budgetToDate += monthBudget;
                actualToDate += actual;
                if (month <= asOf)
                {
                    (reportedBudget, reportedActual) = (budgetToDate, actualToDate);
                }

                months.Add(new BudgetVarianceMonth(month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture),
                    Math.Round(monthBudget, 2), actual, Math.Round(monthBudget - actual, 2), Percent(actual, monthBudget),
                    Math.Round(budgetToDate, 2), actualToDate));
            }

            rows.Add(new BudgetVarianceRow(budget.Id, budget.CostCenter, budget.Account, budget.AnnualAmount, reportedActual,
                Math.Round(reportedBudget, 2), Math.Round(reportedBudget - reportedActual, 2), Percent(reportedActual, reportedBudget), months));
        }

        return new BudgetVariance(company, fiscalYear, asOf, rows);
    }

    private static decimal? Percent(decimal actual, decimal budget) => budget == 0 ? null : Math.Round(actual * 100m / budget, 2);
}
