using Dapper;
using Integration.Erp.Accounts;
using Npgsql;

namespace Integration.Erp.Reports;

/// <summary>One account's row of the trial balance; group rows hold the sums of everything below them.</summary>
public sealed record TrialBalanceRow(
    string Account,
    string Name,
    string? Parent,
    bool IsGroup,
    string RootType,
    int Depth,
    decimal OpeningDebit,
    decimal OpeningCredit,
    decimal Debit,
    decimal Credit,
    decimal ClosingDebit,
    decimal ClosingCredit);

/// <summary>The trial balance of a company over a date range, rolled up the chart of accounts.</summary>
public sealed record TrialBalance(string Company, DateOnly From, DateOnly To, IReadOnlyList<TrialBalanceRow> Rows, decimal TotalDebit, decimal TotalCredit)
{
    internal static async Task<TrialBalance> BuildAsync(NpgsqlConnection connection, string company, DateOnly from, DateOnly to)
    {
        var accounts = await AccountStore.ListAsync(connection, company);
        // Income and expense start each fiscal year at zero: what earlier years left on them opens on the company's
        // retained earnings account (as a year-end closing entry would have moved it), not on themselves.
        var (yearStart, retainedEarnings) = await connection.QuerySingleAsync<(DateOnly?, string?)>("""
            SELECT (SELECT start_date FROM erp.fiscal_year WHERE company = @company AND @from BETWEEN start_date AND end_date),
                   (SELECT retained_earnings_account FROM erp.company WHERE id = @company)
            """, new { company, from });
        var sums = (await connection.QueryAsync<(string Account, decimal Opening, decimal EarlierYears, decimal Debit, decimal Credit)>("""
            SELECT account,
                   coalesce(sum(debit - credit) FILTER (WHERE posting_date < @from), 0),
                   coalesce(sum(debit - credit) FILTER (WHERE posting_date < @yearStart), 0),
                   coalesce(sum(debit) FILTER (WHERE posting_date >= @from), 0),
                   coalesce(sum(credit) FILTER (WHERE posting_date >= @from), 0)
            FROM erp.gl_entry
            WHERE company = @company AND posting_date <= @to
            GROUP BY account
            """, new { company, from, to, yearStart = yearStart ?? DateOnly.MinValue })).ToDictionary(s => s.Account);
        var profitAndLoss = retainedEarnings is null || yearStart is null
            ? []
            : accounts.Where(a => a.RootType is "Income" or "Expense").Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
        var earlierYears = sums.Values.Where(s => profitAndLoss.Contains(s.Account)).Sum(s => s.EarlierYears);
        foreach (var id in profitAndLoss.Where(sums.ContainsKey))
        {
            sums[id] = sums[id] with { Opening = sums[id].Opening - sums[id].EarlierYears };
        }

        if (earlierYears != 0)
        {
            sums[retainedEarnings!] = sums.TryGetValue(retainedEarnings!, out var kept)
                ? kept with { Opening = kept.Opening + earlierYears }
                : (retainedEarnings!, earlierYears, 0m, 0m, 0m);
        }

        var tree = AccountTree.Build(accounts);
        var rows = new List<TrialBalanceRow>(accounts.Count);
        foreach (var (account, depth) in tree.DepthFirst())
        {
            var (opening, debit, credit) = tree.Below(account.Id)
                .Select(id => sums.TryGetValue(id, out var s) ? (s.Opening, s.Debit, s.Credit) : (0m, 0m, 0m))
                .Aggregate((0m, 0m, 0m), (a, s) => (a.Item1 + s.Item1, a.Item2 + s.Item2, a.Item3 + s.Item3));
            var closing = opening + debit - credit;
            rows.Add(new TrialBalanceRow(account.Id, account.Name, account.Parent, account.IsGroup, account.RootType, depth,
                Math.Max(opening, 0), Math.Max(-opening, 0), debit, credit, Math.Max(closing, 0), Math.Max(-closing, 0)));
        }

        var ledgers = rows.Where(r => !r.IsGroup).ToList();
        return new TrialBalance(company, from, to, rows, ledgers.Sum(r => r.ClosingDebit), ledgers.Sum(r => r.ClosingCredit));
    }
}
