using System.Globalization;
using System.Net;
using System.Text.Json;
using Integration.Testing;
using static Integration.Erp.Tests.ErpHost;

namespace Integration.Erp.Tests.Ledger;

/// <summary>
/// The host whose look-ahead reaches exactly the end of this year (not of the next one), checking twice a second: the
/// next fiscal year opens on its own, once.
/// </summary>
public sealed class LookAheadHost : TestHost
{
    public static int DaysToYearEnd { get; } = new DateOnly(Year, 12, 31).DayNumber - DateOnly.FromDateTime(DateTime.UtcNow).DayNumber;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings(TestDatabase database) =>
    [
        .. base.Settings(database),
        new("Erp:FiscalYears:OpenNextDaysAhead", (DaysToYearEnd + 1).ToString(CultureInfo.InvariantCulture)),
        new("Erp:FiscalYears:CheckEvery", "00:00:00.500"),
    ];
}

public sealed class NextFiscalYearTests(LookAheadHost host) : IClassFixture<LookAheadHost>
{
    [Fact]
    public async Task The_next_fiscal_year_opens_before_this_one_ends_so_a_sale_on_new_years_day_is_booked()
    {
        var company = $"FY{Guid.NewGuid().ToString("N")[..6]}";
        var (created, body) = await host.PostAsync("/api/erp/companies", new { id = company, name = "Year-end retailer", currency = "EGP" });
        Assert.True(created == HttpStatusCode.Created, body.ToString());
        var newYearsDay = new DateOnly(Year + 1, 1, 1);

        var years = await YearsAsync(company, count: 2);

        Assert.Equal([Year.ToString(CultureInfo.InvariantCulture), (Year + 1).ToString(CultureInfo.InvariantCulture)], years.Select(y => y.GetProperty("id").GetString()));
        var next = years[1];
        Assert.Equal(newYearsDay, DateOnly.Parse(next.GetProperty("startDate").GetString()!, CultureInfo.InvariantCulture));
        Assert.Equal(new DateOnly(Year + 1, 12, 31), DateOnly.Parse(next.GetProperty("endDate").GetString()!, CultureInfo.InvariantCulture));
        Assert.Equal(12, next.GetProperty("periods").GetArrayLength());
        var (posted, entry) = await host.PostAsync("/api/erp/journal-entries", new
        {
            company, postingDate = newYearsDay, post = true,
            lines = new object[] { new { account = "1110", debit = 100m }, new { account = "4100", credit = 100m, costCenter = "MAIN" } },
        });
        Assert.True(posted == HttpStatusCode.Created, entry.ToString());

        // Later rounds find next year already open and this year's successor out of reach: nothing more opens.
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(2, (await host.GetJsonAsync($"/api/erp/fiscal-years?company={company}")).GetArrayLength());
    }

    private async Task<List<JsonElement>> YearsAsync(string company, int count)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var years = (await host.GetJsonAsync($"/api/erp/fiscal-years?company={company}")).EnumerateArray().ToList();
            if (years.Count >= count || DateTime.UtcNow > until)
            {
                return years;
            }

            await Task.Delay(200);
        }
    }
}
