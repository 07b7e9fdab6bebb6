using System.Globalization;
using Dapper;
using Integration.Erp.Companies;
using Integration.Erp.CostCenters;
using Npgsql;

namespace Integration.Erp.Budgets;

/// <summary>
/// Checks expense amounts against the budgets that cover them, counting what is already spent (running balances)
/// and committed (submitted purchase requests and orders). The budget rows are locked for the rest of the posting
/// transaction, so parallel postings against one budget are checked one after the other and can never together
/// exceed a Stop limit. The cost depends on the number of budgets and cost centers involved, not on the GL's size.
/// </summary>
internal static class BudgetCheck
{
    /// <summary>Returns warnings; throws <c>budget-exceeded</c> when a Stop limit would be crossed.</summary>
    public static async Task<IReadOnlyList<string>> CheckAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        Company company,
        (string Id, DateOnly Start, DateOnly End) fiscalYear,
        DateOnly postingDate,
        IEnumerable<(string Account, string CostCenter, decimal Amount)> expenses,
        CancellationToken cancellationToken)
    {
        // Signed: a credit to one cost center offsets a debit to another that the same budget covers (a reclass).
        var byKey = expenses
            .GroupBy(e => (e.Account, e.CostCenter))
            .Select(g => (g.Key.Account, g.Key.CostCenter, Amount: g.Sum(e => e.Amount)))
            .Where(e => e.Amount != 0)
            .ToList();
        if (!byKey.Any(k => k.Amount > 0))
        {
            return [];
        }

        var budgets = await BudgetStore.LockCoveringAsync(connection, transaction, company.Id, fiscalYear.Id,
            [.. byKey.Where(k => k.Amount > 0).Select(k => (k.Account, k.CostCenter))]);
        var warnings = new List<string>();
        foreach (var budget in budgets)
        {
            var covered = await CostCenterStore.SelfAndDescendantsAsync(connection, transaction, company.Id, budget.CostCenter);
            var amount = byKey.Where(k => k.Account == budget.Account && covered.Contains(k.CostCenter)).Sum(k => k.Amount);
            if (amount <= 0)
            {
                continue;
            }

            var usage = await UsageAsync(connection, transaction, budget, covered, fiscalYear, postingDate, cancellationToken);
            Evaluate(budget, "annual", "annual", budget.AnnualAction, budget.AnnualAmount, usage.Annual + amount, amount, warnings);
            if (budget.MonthlyDistribution is not null)
            {
                var monthIndex = MonthIndex(fiscalYear.Start, postingDate);
                Evaluate(budget, "monthly", $"accumulated to {postingDate:yyyy-MM}", budget.MonthlyAction, budget.AccumulatedLimit(monthIndex),
                    usage.ToMonth + amount, amount, warnings);
            }
        }

        return warnings;
    }

    /// <summary>Spent plus committed for the budget: in the whole fiscal year, and up to the end of the posting month.</summary>
    public static async Task<(decimal Annual, decimal ToMonth)> UsageAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        Budget budget,
        string[] coveredCostCenters,
        (string Id, DateOnly Start, DateOnly End) fiscalYear,
        DateOnly asOf,
        CancellationToken cancellationToken)
    {
        var monthStart = new DateOnly(asOf.Year, asOf.Month, 1);
        return await connection.QuerySingleAsync<(decimal, decimal)>(new CommandDefinition("""
            SELECT coalesce((SELECT sum(debit - credit) FROM erp.gl_balance
                             WHERE company = @company AND account = @account AND cost_center = ANY(@covered)
                               AND month BETWEEN @start AND @end), 0)
                 + coalesce((SELECT sum(amount) FROM erp.budget_commitment WHERE budget_id = @id AND released_at IS NULL), 0),
                   coalesce((SELECT sum(debit - credit) FROM erp.gl_balance
                             WHERE company = @company AND account = @account AND cost_center = ANY(@covered)
                               AND month BETWEEN @start AND @monthStart), 0)
                 + coalesce((SELECT sum(amount) FROM erp.budget_commitment WHERE budget_id = @id AND month <= @monthStart AND released_at IS NULL), 0)
            """,
            new { company = budget.Company, account = budget.Account, covered = coveredCostCenters, start = fiscalYear.Start, end = fiscalYear.End, monthStart, id = budget.Id },
            transaction, cancellationToken: cancellationToken));
    }

    public static int MonthIndex(DateOnly fiscalYearStart, DateOnly date) =>
        ((date.Year - fiscalYearStart.Year) * 12) + date.Month - fiscalYearStart.Month;

    private static void Evaluate(Budget budget, string period, string scope, string action, decimal limit, decimal total, decimal amount, List<string> warnings)
    {
        if (action == "Ignore")
        {
            return;
        }

        var where = $"{budget.Account} on {budget.CostCenter} ({budget.FiscalYear}, {scope})";
        if (total > limit)
        {
            var message = string.Create(CultureInfo.InvariantCulture,
                $"Budget for {where} is {limit:0.##}; this posting of {amount:0.##} brings spending to {total:0.##}, {total - limit:0.##} over.");
            BudgetTelemetry.Hit(budget.Company, action, period);
            if (action == "Stop")
            {
                throw new ErpRuleException("budget-exceeded", message, details: new Dictionary<string, object?>
                {
                    ["budgetId"] = budget.Id,
                    ["scope"] = scope,
                    ["limit"] = limit,
                    ["spentWithThis"] = total,
                    ["over"] = total - limit,
                });
            }

            warnings.Add(message);
        }
        else if (limit > 0 && total * 100m >= limit * budget.WarnThresholdPercent)
        {
            BudgetTelemetry.Hit(budget.Company, "Warn", period);
            warnings.Add(string.Create(CultureInfo.InvariantCulture,
                $"Budget for {where} is {total * 100m / limit:0.#}% used ({total:0.##} of {limit:0.##})."));
        }
    }
}
