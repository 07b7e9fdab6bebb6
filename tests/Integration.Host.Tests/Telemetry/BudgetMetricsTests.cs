using System.Globalization;
using System.Net;
using Integration.Testing.Telemetry;

namespace Integration.Host.Tests.Telemetry;

/// <summary>Postings that meet a budget's Warn or Stop limit through the ERP API show on <c>/metrics</c> by company.</summary>
public sealed class BudgetMetricsTests(HostFixture host) : IClassFixture<HostFixture>
{
    private static readonly string Year = DateTime.UtcNow.Year.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task Budget_warnings_and_stops_are_counted_by_company_and_action()
    {
        var company = "BM" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(HttpStatusCode.Created, (await host.PostAsync("/api/erp/companies", new { id = company, name = "Budget metrics " + company, currency = "EGP" })).Status);
        await BudgetAsync(company, "5230", 1_000m, "Warn");
        await BudgetAsync(company, "5250", 1_000m, "Stop");
        var before = await PrometheusScrape.TakeAsync(host.Client);

        var (under, _) = await PostAsync(company, "5230", 100m);
        var (over, _) = await PostAsync(company, "5230", 1_000m);
        var (crossing, problem) = await PostAsync(company, "5250", 1_000.01m);

        Assert.Equal(HttpStatusCode.Created, under);
        Assert.Equal(HttpStatusCode.Created, over);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, crossing);
        Assert.Equal("budget-exceeded", problem.GetProperty("type").GetString());
        var after = await PrometheusScrape.TakeAsync(host.Client);
        string[] labels = [$"company=\"{company}\"", "scope=\"annual\""];
        Assert.Equal(0, before.Sum("integration_erp_budget_hits_total", labels));
        Assert.Equal(1, after.Sum("integration_erp_budget_hits_total", [.. labels, "action=\"Warn\""]));
        Assert.Equal(1, after.Sum("integration_erp_budget_hits_total", [.. labels, "action=\"Stop\""]));
    }

    private async Task BudgetAsync(string company, string account, decimal amount, string action)
    {
        var (status, body) = await host.PostAsync("/api/erp/budgets", new { company, fiscalYear = Year, costCenter = "MAIN", account, annualAmount = amount, annualAction = action });
        Assert.True(status == HttpStatusCode.Created, body.ToString());
    }

    private Task<(HttpStatusCode Status, System.Text.Json.JsonElement Body)> PostAsync(string company, string account, decimal amount) =>
        host.PostAsync("/api/erp/journal-entries", new
        {
            company,
            postingDate = new DateOnly(DateTime.UtcNow.Year, 3, 1),
            post = true,
            lines = new object[] { new { account, debit = amount, costCenter = "MAIN" }, new { account = "1120", credit = amount } },
        });
}
