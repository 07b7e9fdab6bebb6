using System.Globalization;
using System.Net;
using System.Text.Json;
using static Integration.Erp.Tests.ErpHost;

namespace Integration.Erp.Tests.Reports;

public sealed class ReportTests(ErpHost erp) : IClassFixture<ErpHost>
{
    private static readonly string Range = $"from={On(1, 1):yyyy-MM-dd}&to={On(12, 31):yyyy-MM-dd}";

    [Fact]
    public async Task A_new_fiscal_year_opens_income_and_expense_at_zero_with_earlier_years_profit_on_retained_earnings()
    {
        var company = await erp.NewCompanyAsync();
        // The next year may have been opened by the host already (it opens it 30 days ahead).
        var (next, body) = await erp.PostAsync("/api/erp/fiscal-years", new { company, id = $"{Year + 1}", startDate = new DateOnly(Year + 1, 1, 1), endDate = new DateOnly(Year + 1, 12, 31) });
        Assert.True(next is HttpStatusCode.Created or HttpStatusCode.Conflict, body.ToString());
        await erp.PostEntryOkAsync(company, On(6, 1), Debit("1120", 1_000m), Credit("4100", 1_000m, costCenter: "ONLINE"));
        await erp.PostEntryOkAsync(company, On(6, 2), Debit("5250", 300m, costCenter: "MAIN"), Credit("1120", 300m));
        await erp.PostEntryOkAsync(company, new DateOnly(Year + 1, 2, 1), Debit("1120", 200m), Credit("4100", 200m, costCenter: "ONLINE"));

        var march = await erp.GetJsonAsync($"/api/erp/reports/trial-balance?company={company}&from={Year + 1}-03-01&to={Year + 1}-03-31");
        var thisYear = await erp.GetJsonAsync($"/api/erp/reports/trial-balance?company={company}&{Range}");

        JsonElement Row(JsonElement report, string account) => report.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("account").GetString() == account);
        // Sales of this year only; last year's 700 profit is retained earnings.
        Assert.Equal(200m, Row(march, "4100").GetProperty("openingCredit").GetDecimal());
        Assert.Equal(0m, Row(march, "5250").GetProperty("openingDebit").GetDecimal());
        Assert.Equal(700m, Row(march, "3200").GetProperty("openingCredit").GetDecimal());
        Assert.Equal(900m, Row(march, "1120").GetProperty("openingDebit").GetDecimal());
        Assert.Equal(march.GetProperty("totalDebit").GetDecimal(), march.GetProperty("totalCredit").GetDecimal());
        Assert.Equal(1_000m, Row(thisYear, "4100").GetProperty("closingCredit").GetDecimal());
        Assert.Equal(0m, Row(thisYear, "3200").GetProperty("closingCredit").GetDecimal());
    }

    [Fact]
    public async Task Trial_balance_sums_to_zero_and_groups_roll_up_after_a_random_series_of_postings()
    {
        var company = await erp.NewCompanyAsync();
        var random = new Random(20261124);
        string[] debitSide = ["1110", "1120", "1130", "1210", "1170", "5100", "5210", "5220", "5240", "5250"];
        string[] creditSide = ["1120", "2110", "2120", "3100", "4100", "4200"];
        var posted = new List<long>();
        for (var i = 0; i < 40; i++)
        {
            var amount = Math.Round((decimal)random.NextDouble() * 5_000m + 1m, 2);
            var split = Math.Round(amount * (0.1m + (0.8m * (decimal)random.NextDouble())), 2);
            var creditA = creditSide[random.Next(creditSide.Length)];
            var creditB = creditSide[random.Next(creditSide.Length)];
            var entry = await erp.PostEntryOkAsync(company, On(random.Next(1, 13), random.Next(1, 28)),
                Debit(debitSide[random.Next(debitSide.Length)], amount, costCenter: random.Next(2) == 0 ? "ONLINE" : null),
                Credit(creditA, split, party: creditA == "2110" ? "SUP-1" : null),
                Credit(creditB, amount - split, party: creditB == "2110" ? "SUP-1" : null));
            posted.Add(entry.GetProperty("id").GetInt64());
        }

        foreach (var id in posted.Where((_, i) => i % 5 == 0))
        {
            var (status, _) = await erp.PostAsync($"/api/erp/journal-entries/{id}/cancel", new { });
            Assert.Equal(HttpStatusCode.OK, status);
        }

        var report = await erp.GetJsonAsync($"/api/erp/reports/trial-balance?company={company}&{Range}");
        var rows = report.GetProperty("rows").EnumerateArray().ToList();

        Assert.Equal(report.GetProperty("totalDebit").GetDecimal(), report.GetProperty("totalCredit").GetDecimal());
        Assert.Equal(
            rows.Where(r => !r.GetProperty("isGroup").GetBoolean()).Sum(r => r.GetProperty("debit").GetDecimal()),
            rows.Where(r => !r.GetProperty("isGroup").GetBoolean()).Sum(r => r.GetProperty("credit").GetDecimal()));
        var roots = rows.Where(r => r.GetProperty("depth").GetInt32() == 0).ToList();
        Assert.Equal(0m, roots.Sum(r => r.GetProperty("closingDebit").GetDecimal() - r.GetProperty("closingCredit").GetDecimal()));
        var currentAssets = rows.Single(r => r.GetProperty("account").GetString() == "1100");
        Assert.Equal(
            rows.Where(r => r.GetProperty("parent").ToString() == "1100").Sum(r => r.GetProperty("debit").GetDecimal()),
            currentAssets.GetProperty("debit").GetDecimal());
    }

    [Fact]
    public async Task Profitability_rolls_income_and_expense_up_the_cost_center_tree()
    {
        var company = await erp.NewCompanyAsync();
        await erp.PostEntryOkAsync(company, On(4, 1), Debit("1110", 10_000m), Credit("4100", 10_000m, "SHOP-CAIRO"));
        await erp.PostEntryOkAsync(company, On(4, 2), Debit("1130", 7_000m), Credit("4100", 7_000m, "ONLINE"));
        await erp.PostEntryOkAsync(company, On(4, 3), Debit("5250", 4_000m, "SHOP-CAIRO"), Credit("1120", 4_000m));
        await erp.PostEntryOkAsync(company, On(4, 4), Debit("5210", 500m, "ONLINE"), Credit("1130", 500m));

        var report = await erp.GetJsonAsync($"/api/erp/reports/profitability?company={company}&{Range}");
        var rows = report.GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("costCenter").GetString()!);

        Assert.Equal((10_000m, 4_000m, 6_000m), Figures(rows["SHOP-CAIRO"]));
        Assert.Equal((10_000m, 4_000m, 6_000m), Figures(rows["STORES"]));
        Assert.Equal((7_000m, 500m, 6_500m), Figures(rows["ONLINE"]));
        Assert.Equal((17_000m, 4_500m, 12_500m), Figures(rows[company]));
    }

    [Fact]
    public async Task Budget_variance_shows_budget_actual_and_percent_per_month_and_to_date_also_as_csv()
    {
        var company = await erp.NewCompanyAsync();
        var year = Year.ToString(CultureInfo.InvariantCulture);
        await erp.PostAsync("/api/erp/budgets", new { company, fiscalYear = year, costCenter = "MAIN", account = "5230", annualAmount = 12_000m, annualAction = "Warn" });
        await erp.PostEntryOkAsync(company, On(1, 10), Debit("5230", 800m), Credit("1120", 800m));
        await erp.PostEntryOkAsync(company, On(2, 10), Debit("5230", 1_500m), Credit("1120", 1_500m));

        var report = await erp.GetJsonAsync($"/api/erp/reports/budget-variance?company={company}&fiscalYear={year}&asOf={On(2, 28):yyyy-MM-dd}");
        var row = Assert.Single(report.GetProperty("rows").EnumerateArray());
        var february = row.GetProperty("months")[1];

        Assert.Equal(2_300m, row.GetProperty("actualToDate").GetDecimal());
        Assert.Equal(2_000m, row.GetProperty("budgetToDate").GetDecimal());
        Assert.Equal(-300m, row.GetProperty("varianceToDate").GetDecimal());
        Assert.Equal(115m, row.GetProperty("percentToDate").GetDecimal());
        Assert.Equal(1_000m, february.GetProperty("budget").GetDecimal());
        Assert.Equal(1_500m, february.GetProperty("actual").GetDecimal());
        Assert.Equal(150m, february.GetProperty("percent").GetDecimal());

        var csv = await erp.Client.GetStringAsync($"/api/erp/reports/budget-variance?company={company}&fiscalYear={year}&format=csv");
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("cost_center,account,month,budget,actual,variance,percent,budget_to_date,actual_to_date", lines[0]);
        Assert.Equal(13, lines.Length);
        Assert.StartsWith($"MAIN,5230,{Year}-02,1000,1500,-500,150", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_company_has_the_default_chart_and_the_host_seeded_one_on_first_start()
    {
        var seeded = await erp.GetJsonAsync("/api/erp/accounts?company=EG01");
        var roundOff = seeded.EnumerateArray().Single(a => a.GetProperty("id").GetString() == "5900");

        Assert.Equal("Round Off", roundOff.GetProperty("accountType").GetString());
        Assert.Equal(5, seeded.EnumerateArray().Count(a => a.GetProperty("parent").ValueKind == JsonValueKind.Null));
        var years = await erp.GetJsonAsync("/api/erp/fiscal-years?company=EG01");
        // This year's; next year's too once this one ends within a month (NextFiscalYears).
        var thisYear = years.EnumerateArray().Single(y => y.GetProperty("id").GetString() == Year.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(12, thisYear.GetProperty("periods").GetArrayLength());
    }

    private static (decimal, decimal, decimal) Figures(JsonElement row) =>
        (row.GetProperty("income").GetDecimal(), row.GetProperty("expense").GetDecimal(), row.GetProperty("profit").GetDecimal());
}
