using Dapper;
using Integration.Erp.CostCenters;
using Npgsql;

namespace Integration.Erp.Reports;

/// <summary>Income, expense and profit of one cost center, including everything below it.</summary>
public sealed record ProfitabilityRow(string CostCenter, string Name, string? Parent, bool IsGroup, int Depth, decimal Income, decimal Expense, decimal Profit);

/// <summary>Profitability by cost center over a date range, rolled up the cost center tree.</summary>
public sealed record Profitability(string Company, DateOnly From, DateOnly To, IReadOnlyList<ProfitabilityRow> Rows)
{
    internal static async Task<Profitability> BuildAsync(NpgsqlConnection connection, string company, DateOnly from, DateOnly to)
    {
        var centers = await CostCenterStore.ListAsync(connection, company);
        var sums = (await connection.QueryAsync<(string CostCenter, decimal Income, decimal Expense)>("""
            SELECT g.cost_center,
                   coalesce(sum(g.credit - g.debit) FILTER (WHERE a.root_type = 'Income'), 0),
                   coalesce(sum(g.debit - g.credit) FILTER (WHERE a.root_type = 'Expense'), 0)
            FROM erp.gl_entry g JOIN erp.account a ON a.company = g.company AND a.id = g.account
            WHERE g.company = @company AND g.posting_date BETWEEN @from AND @to AND g.cost_center IS NOT NULL
              AND a.root_type IN ('Income', 'Expense')
            GROUP BY g.cost_center
            """, new { company, from, to })).ToDictionary(s => s.CostCenter);

        var children = centers.Where(c => c.Parent is not null).ToLookup(c => c.Parent!);
        var rows = new List<ProfitabilityRow>(centers.Count);
        (decimal Income, decimal Expense) Visit(CostCenter center, int depth)
        {
            var index = rows.Count;
            rows.Add(null!);
            var own = sums.TryGetValue(center.Id, out var s) ? (s.Income, s.Expense) : (0m, 0m);
            foreach (var child in children[center.Id].OrderBy(c => c.Id, StringComparer.Ordinal))
            {
                var below = Visit(child, depth + 1);
                own = (own.Item1 + below.Income, own.Item2 + below.Expense);
            }

            rows[index] = new ProfitabilityRow(center.Id, center.Name, center.Parent, center.IsGroup, depth, own.Item1, own.Item2, own.Item1 - own.Item2);
            return own;
        }

        foreach (var root in centers.Where(c => c.Parent is null).OrderBy(c => c.Id, StringComparer.Ordinal))
        {
            Visit(root, 0);
        }

        return new Profitability(company, from, to, rows);
    }
}
