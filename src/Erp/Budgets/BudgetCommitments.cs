using Dapper;
using Integration.Erp.Companies;
using Integration.Erp.FiscalYears;
using Npgsql;

namespace Integration.Erp.Budgets;

/// <summary>
/// Submitting a purchase request or order commits budget: the same check as an expense posting, then the amounts
/// are recorded so later checks count them. Idempotent on (document type, document no), also once released: a late copy
/// of a commit finds the released rows and commits nothing again.
/// </summary>
public sealed class BudgetCommitments(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<string>> CommitAsync(
        string company, string documentType, string documentNo, DateOnly date,
        IReadOnlyList<(string Account, string CostCenter, decimal Amount)> lines, CancellationToken cancellationToken)
    {
        // A negative commitment would lower what later checks count, and let spending past a Stop budget.
        if (lines.Any(l => l.Amount <= 0))
        {
            throw new ErpRuleException("invalid-amount", "A budget commitment's amounts are positive.", 400);
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var companyRow = await CompanyStore.GetAsync(connection, company, transaction);
        var fiscalYear = await FiscalYearStore.OpenYearForAsync(connection, transaction, company, date);
        // The budgets are locked before the document is looked for: the same document committed twice at once (a retry)
        // finds the first's rows once it holds the lock, instead of counting them against itself as over budget.
        var budgets = await BudgetStore.LockCoveringAsync(connection, transaction, company, fiscalYear.Id, [.. lines.Select(l => (l.Account, l.CostCenter))]);
        if (await connection.ExecuteScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM erp.budget_commitment c JOIN erp.budget b ON b.id = c.budget_id WHERE b.company = @company AND c.document_type = @documentType AND c.document_no = @documentNo)",
            new { company, documentType, documentNo }, transaction))
        {
            return [];
        }

        var warnings = await BudgetCheck.CheckAsync(connection, transaction, companyRow, fiscalYear, date, lines, cancellationToken);
        foreach (var budget in budgets)
        {
            var covered = await CostCenters.CostCenterStore.SelfAndDescendantsAsync(connection, transaction, company, budget.CostCenter);
            var amount = lines.Where(l => l.Account == budget.Account && covered.Contains(l.CostCenter)).Sum(l => l.Amount);
            await connection.ExecuteAsync("""
                INSERT INTO erp.budget_commitment (budget_id, month, amount, document_type, document_no)
                VALUES (@id, @month, @amount, @documentType, @documentNo)
                ON CONFLICT (budget_id, document_type, document_no) DO NOTHING
                """, new { id = budget.Id, month = new DateOnly(date.Year, date.Month, 1), amount, documentType, documentNo }, transaction);
        }

        await transaction.CommitAsync(cancellationToken);
        return warnings;
    }

    /// <summary>
    /// Ends a document's commitment (the order was invoiced, its expense now posted, or it was cancelled), so it is no
    /// longer counted beside the spending that replaced it; answers the amount released (0 the second time).
    /// </summary>
    public async Task<decimal> ReleaseAsync(string company, string documentType, string documentNo, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<decimal>("""
            WITH released AS (
                UPDATE erp.budget_commitment c SET released_at = now() FROM erp.budget b
                WHERE b.id = c.budget_id AND b.company = @company AND c.document_type = @documentType AND c.document_no = @documentNo
                  AND c.released_at IS NULL
                RETURNING c.amount)
            SELECT coalesce(sum(amount), 0) FROM released
            """, new { company, documentType, documentNo });
    }
}
