using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Integration.Erp.FiscalYears;

/// <summary>
/// Opens each company's next fiscal year (12 monthly periods from the day after its last one ends) once that last year
/// ends within <c>Erp:FiscalYears:OpenNextDaysAhead</c> days (30; 0 turns it off). Without it every store order dated
/// on the first day of a new year is refused (<c>no-fiscal-year</c>) until somebody adds the year by hand. Checked at
/// start and every <c>Erp:FiscalYears:CheckEvery</c> (6 hours); one host at a time per company.
/// </summary>
public sealed class NextFiscalYears(NpgsqlDataSource dataSource, TimeProvider time, IConfiguration configuration, ILogger<NextFiscalYears> logger) : BackgroundService
{
    // A host that was down past the end of a year catches up, but a wrong clock cannot make it open years without end.
    private const int MostYearsPerRound = 3;

    private int DaysAhead => configuration.GetValue("Erp:FiscalYears:OpenNextDaysAhead", 30);

    /// <summary>Opens the next fiscal year of every company whose last one ends soon; answers the years opened.</summary>
    public async Task<IReadOnlyList<FiscalYear>> OpenDueAsync(CancellationToken cancellationToken)
    {
        var daysAhead = DaysAhead;
        if (daysAhead <= 0)
        {
            return [];
        }

        var horizon = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime).AddDays(daysAhead);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var due = (await connection.QueryAsync<string>(
            "SELECT company FROM erp.fiscal_year GROUP BY company HAVING max(end_date) <= @horizon ORDER BY company", new { horizon })).ToList();
        var opened = new List<FiscalYear>();
        foreach (var company in due)
        {
            try
            {
                for (var i = 0; i < MostYearsPerRound && await OpenNextAsync(connection, company, horizon, cancellationToken) is { } year; i++)
                {
                    opened.Add(year);
                    logger.LogInformation("Opened fiscal year {FiscalYear} of {Company} ({Start:yyyy-MM-dd} to {End:yyyy-MM-dd}): postings dated in it are taken",
                        year.Id, company, year.StartDate, year.EndDate);
                }
            }
            catch (ErpRuleException ex)
            {
                // One company's year a person must name does not keep the others' from opening.
                logger.LogError("The next fiscal year of {Company} was not opened: {Reason}", company, ex.Message);
            }
        }

        return opened;
    }

    private static async Task<FiscalYear?> OpenNextAsync(NpgsqlConnection connection, string company, DateOnly horizon, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Two hosts see the same due year: the second waits here, then finds it open.
        await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtext('erp.fiscal_year:' || @company))", new { company }, transaction);
        var lastEnd = await connection.ExecuteScalarAsync<DateOnly?>("SELECT max(end_date) FROM erp.fiscal_year WHERE company = @company", new { company }, transaction);
        if (lastEnd is not { } end || end > horizon)
        {
            return null;
        }

        var start = end.AddDays(1);
        var last = start.AddYears(1).AddDays(-1);
        var next = new FiscalYear(company, Name(start, last), start, last, false, []);
        if (await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM erp.fiscal_year WHERE company = @company AND id = @Id)", new { company, next.Id }, transaction))
        {
            // A year named so by hand elsewhere: opening this one needs a person to pick its name.
            throw new ErpRuleException("fiscal-year-name-taken", $"Fiscal year {next.Id} of {company} exists with other dates; add the year from {start:yyyy-MM-dd} by hand.", 409);
        }

        await FiscalYearStore.CreateAsync(connection, transaction, company, next.Id, next.StartDate, next.EndDate);
        await transaction.CommitAsync(cancellationToken);
        return next;
    }

    // A calendar year is named by its year (2027), any other by both (2026-2027), as companies made here are.
    private static string Name(DateOnly start, DateOnly end) =>
        start is { Month: 1, Day: 1 } ? start.Year.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{start.Year}-{end.Year}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = configuration.GetValue("Erp:FiscalYears:CheckEvery", TimeSpan.FromHours(6));
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = every;
            try
            {
                await OpenDueAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                // The database is down or not migrated yet (another host migrates): sooner than a whole round.
                wait = every < TimeSpan.FromMinutes(1) ? every : TimeSpan.FromMinutes(1);
                logger.LogWarning(ex, "The next fiscal years were not opened; trying again in {Wait}", wait);
            }

            await Task.Delay(wait, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}
