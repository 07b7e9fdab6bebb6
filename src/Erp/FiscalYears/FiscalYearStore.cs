using Dapper;
using Npgsql;

namespace Integration.Erp.FiscalYears;

internal static class FiscalYearStore
{
    public static async Task CreateAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string company, string id, DateOnly start, DateOnly end)
    {
        if (end <= start || end > start.AddYears(1).AddDays(-1).AddMonths(6))
        {
            throw new ErpRuleException("invalid-fiscal-year", "A fiscal year ends after it starts and lasts at most 18 months.", 400);
        }

        // Balances and budgets are kept by calendar month: a year of whole months is what they can add up.
        if (start.Day != 1 || end.AddDays(1).Day != 1)
        {
            throw new ErpRuleException("invalid-fiscal-year", $"A fiscal year runs in whole months: from the 1st of a month to the last day of one ({start:yyyy-MM-dd}..{end:yyyy-MM-dd} is not).", 400);
        }

        var overlapping = await connection.ExecuteScalarAsync<string?>("""
            SELECT id FROM erp.fiscal_year WHERE company = @company AND start_date <= @end AND end_date >= @start LIMIT 1
            """, new { company, start, end }, transaction);
        if (overlapping is not null)
        {
            throw new ErpRuleException("overlapping-fiscal-year", $"Fiscal year {overlapping} already covers part of {start:yyyy-MM-dd}..{end:yyyy-MM-dd}.", 409);
        }

        await connection.ExecuteAsync(
            "INSERT INTO erp.fiscal_year (company, id, start_date, end_date) VALUES (@company, @id, @start, @end)",
            new { company, id, start, end }, transaction);
        for (var month = start; month <= end; month = month.AddMonths(1))
        {
            var periodEnd = month.AddMonths(1).AddDays(-1);
            await connection.ExecuteAsync("""
                INSERT INTO erp.accounting_period (company, fiscal_year, start_date, end_date) VALUES (@company, @id, @month, @periodEnd)
                """, new { company, id, month, periodEnd = periodEnd > end ? end : periodEnd }, transaction);
        }
    }

    public static async Task<IReadOnlyList<FiscalYear>> ListAsync(NpgsqlConnection connection, string company)
    {
        var years = await connection.QueryAsync<(string Id, DateOnly Start, DateOnly End, bool Closed)>(
            "SELECT id, start_date, end_date, closed FROM erp.fiscal_year WHERE company = @company ORDER BY start_date", new { company });
        var periods = (await connection.QueryAsync<(string FiscalYear, DateOnly Start, DateOnly End, bool Closed)>(
            "SELECT fiscal_year, start_date, end_date, closed FROM erp.accounting_period WHERE company = @company ORDER BY start_date", new { company }))
            .ToLookup(p => p.FiscalYear);
        return [.. years.Select(y => new FiscalYear(company, y.Id, y.Start, y.End, y.Closed,
            [.. periods[y.Id].Select(p => new AccountingPeriod(p.Start, p.End, p.Closed))]))];
    }

    /// <summary>Closes (or reopens) the period containing <paramref name="date"/>, or the whole year when date is null.</summary>
    public static async Task SetClosedAsync(NpgsqlConnection connection, string company, string fiscalYear, DateOnly? date, bool closed)
    {
        var changed = date is { } day
            ? await connection.ExecuteAsync("""
                UPDATE erp.accounting_period SET closed = @closed
                WHERE company = @company AND fiscal_year = @fiscalYear AND @day BETWEEN start_date AND end_date
                """, new { company, fiscalYear, day, closed })
            : await connection.ExecuteAsync(
                "UPDATE erp.fiscal_year SET closed = @closed WHERE company = @company AND id = @fiscalYear", new { company, fiscalYear, closed });
        if (changed == 0)
        {
            throw ErpRuleException.NotFound("unknown-period", $"No fiscal year '{fiscalYear}' (or no period on that date) in {company}.");
        }
    }

    // Shared locks on the year and its period until the posting commits: closing either (an UPDATE) waits for postings
    // in flight, and a posting that comes while a close is running waits and then reads it closed. Read without them, a
    // posting that checked the period just before a close committed would land in the closed period.
    internal const string OpenYearQuery = """
        SELECT fy.id AS Id, fy.start_date AS Start, fy.end_date AS End, fy.closed AS YearClosed, p.closed AS PeriodClosed
        FROM erp.fiscal_year fy
        JOIN erp.accounting_period p ON p.company = fy.company AND p.fiscal_year = fy.id AND @date BETWEEN p.start_date AND p.end_date
        WHERE fy.company = @company AND @date BETWEEN fy.start_date AND fy.end_date
        FOR SHARE OF fy, p
        """;

    /// <summary>The open fiscal year that takes postings dated <paramref name="date"/>, or a refusal saying why not.</summary>
    public static async Task<(string Id, DateOnly Start, DateOnly End)> OpenYearForAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string company, DateOnly date) =>
        Open(company, date, await connection.QuerySingleOrDefaultAsync<OpenYearRow>(OpenYearQuery, new { company, date }, transaction));

    internal static (string Id, DateOnly Start, DateOnly End) Open(string company, DateOnly date, OpenYearRow? row)
    {
        if (row is null)
        {
            throw new ErpRuleException("no-fiscal-year", $"No fiscal year of {company} covers {date:yyyy-MM-dd}.");
        }

        if (row.YearClosed || row.PeriodClosed == true)
        {
            throw new ErpRuleException("closed-period", $"The accounting period of {date:yyyy-MM-dd} is closed in {company}.",
                details: new Dictionary<string, object?> { ["fiscalYear"] = row.Id, ["postingDate"] = date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) });
        }

        return (row.Id, row.Start, row.End);
    }

    internal sealed record OpenYearRow(string Id, DateOnly Start, DateOnly End, bool YearClosed, bool? PeriodClosed);
}
