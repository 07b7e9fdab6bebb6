using System.Net;
using static Integration.Erp.Tests.ErpHost;

namespace Integration.Erp.Tests.Budgets;

public sealed class BudgetCheckTests(ErpHost erp) : IClassFixture<ErpHost>
{
    [Fact]
    public async Task Stop_budget_refuses_the_expense_that_crosses_it_and_accepts_the_one_that_reaches_it()
    {
        var company = await erp.NewCompanyAsync();
        await CreateBudgetAsync(company, "MAIN", "5250", 10_000m, annualAction: "Stop");
        await erp.PostEntryOkAsync(company, On(1, 5), Debit("5250", 9_000m), Credit("1120", 9_000m));

        var (crossing, problem) = await erp.PostEntryAsync(company, On(2, 5), Debit("5250", 1_000.01m), Credit("1120", 1_000.01m));
        var (reaching, _) = await erp.PostEntryAsync(company, On(2, 5), Debit("5250", 1_000m), Credit("1120", 1_000m));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, crossing);
        Assert.Equal("budget-exceeded", problem.GetProperty("type").GetString());
        Assert.Equal(0.01m, problem.GetProperty("over").GetDecimal());
        Assert.Equal(HttpStatusCode.Created, reaching);
        Assert.Equal(10_000m, await SpentAsync(company, "5250"));
    }

    [Fact]
    public async Task A_month_closed_while_a_posting_into_it_runs_waits_for_that_posting_and_takes_none_after()
    {
        var company = await erp.NewCompanyAsync();
        await CreateBudgetAsync(company, "MAIN", "5230", 10_000m, annualAction: "Stop");

        // The posting has read its period open and waits at its budget, held by another posting.
        await using var other = await erp.OpenAsync();
        await using var otherPosting = await other.BeginTransactionAsync();
        await Dapper.SqlMapper.ExecuteAsync(other, "SELECT 1 FROM erp.budget WHERE company = @company FOR UPDATE", new { company }, otherPosting);
        var posting = erp.PostEntryAsync(company, On(3, 15), Debit("5230", 100m), Credit("1120", 100m));
        await WaitingAsync("FROM erp.budget");
        var closing = erp.PostAsync($"/api/erp/fiscal-years/{company}/{Year}/close", new { date = On(3, 1) });
        var closedAtOnce = await Task.WhenAny(closing, WaitingAsync("UPDATE erp.accounting_period")) == closing;
        await otherPosting.RollbackAsync();
        var (posted, entry) = await posting;
        var (closed, _) = await closing;
        var (after, problem) = await erp.PostEntryAsync(company, On(3, 16), Debit("5230", 100m), Credit("1120", 100m));

        // Closed at once, the month would hold a posting committed after its close.
        Assert.False(closedAtOnce);
        Assert.True(posted == HttpStatusCode.Created, entry.ToString());
        Assert.Equal(HttpStatusCode.OK, closed);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, after);
        Assert.Equal("closed-period", problem.GetProperty("type").GetString());
    }

    // Until a statement of this database holding that text waits for a lock (10 s at most).
    private async Task WaitingAsync(string statement)
    {
        await using var watch = await erp.OpenAsync();
        for (var i = 0; i < 400 && !await Dapper.SqlMapper.ExecuteScalarAsync<bool>(watch, """
            SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND position(@statement IN query) > 0)
            """, new { statement }); i++)
        {
            await Task.Delay(25);
        }
    }

    [Fact]
    public async Task Warn_budget_lets_the_expense_cross_with_a_warning()
    {
        var company = await erp.NewCompanyAsync();
        await CreateBudgetAsync(company, "MAIN", "5230", 5_000m, annualAction: "Warn");

        var entry = await erp.PostEntryOkAsync(company, On(3, 1), Debit("5230", 6_000m), Credit("1120", 6_000m));

        var warning = Assert.Single(entry.GetProperty("warnings").EnumerateArray()).GetString();
        Assert.Contains("1000 over", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reaching_the_warn_threshold_raises_a_warning_before_the_limit()
    {
        var company = await erp.NewCompanyAsync();
        await CreateBudgetAsync(company, "MAIN", "5260", 1_000m, annualAction: "Stop");

        var below = await erp.PostEntryOkAsync(company, On(3, 1), Debit("5260", 700m), Credit("1110", 700m));
        var atThreshold = await erp.PostEntryOkAsync(company, On(3, 2), Debit("5260", 150m), Credit("1110", 150m));

        Assert.Equal(0, below.GetProperty("warnings").GetArrayLength());
        Assert.Contains("85% used", Assert.Single(atThreshold.GetProperty("warnings").EnumerateArray()).GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Monthly_distribution_limits_the_spend_accumulated_by_month()
    {
        var company = await erp.NewCompanyAsync();
        // 12,000 a year: 10 % a month for eight months, then 5 %.
        await CreateBudgetAsync(company, "MAIN", "5240", 12_000m, annualAction: "Stop", monthlyAction: "Stop",
            distribution: [10, 10, 10, 10, 10, 10, 10, 10, 5, 5, 5, 5]);

        var (january, _) = await erp.PostEntryAsync(company, On(1, 31), Debit("5240", 1_200m), Credit("1120", 1_200m));
        var (januaryMore, problem) = await erp.PostEntryAsync(company, On(1, 31), Debit("5240", 0.01m), Credit("1120", 0.01m));
        var (february, _) = await erp.PostEntryAsync(company, On(2, 1), Debit("5240", 1_200m), Credit("1120", 1_200m));
        var (februaryMore, _) = await erp.PostEntryAsync(company, On(2, 28), Debit("5240", 1m), Credit("1120", 1m));
        var (april, _) = await erp.PostEntryAsync(company, On(4, 10), Debit("5240", 2_400m), Credit("1120", 2_400m));

        Assert.Equal(HttpStatusCode.Created, january);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, januaryMore);
        Assert.Equal("budget-exceeded", problem.GetProperty("type").GetString());
        Assert.Equal($"accumulated to {Year}-01", problem.GetProperty("scope").GetString());
        Assert.Equal(HttpStatusCode.Created, february);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, februaryMore);
        Assert.Equal(HttpStatusCode.Created, april);
    }

    [Fact]
    public async Task A_half_years_budget_is_spread_over_its_six_months_and_may_all_be_spent_by_its_last()
    {
        var company = await erp.NewCompanyAsync();
        var half = $"{Year + 2}-H1";
        var (created, _) = await erp.PostAsync("/api/erp/fiscal-years", new { company, id = half, startDate = new DateOnly(Year + 2, 1, 1), endDate = new DateOnly(Year + 2, 6, 30) });
        Assert.Equal(HttpStatusCode.Created, created);
        object Budget(decimal[] distribution) => new
        {
            company, fiscalYear = half, costCenter = "MAIN", account = "5240", annualAmount = 120_000m, annualAction = "Stop", monthlyAction = "Stop",
            monthlyDistribution = distribution,
        };

        var (twelve, problem) = await erp.PostAsync("/api/erp/budgets", Budget([5, 5, 8, 8, 8, 8, 8, 8, 8, 10, 12, 12]));
        var (six, _) = await erp.PostAsync("/api/erp/budgets", Budget([10, 10, 20, 20, 20, 20]));

        Assert.Equal(HttpStatusCode.BadRequest, twelve);
        Assert.Contains("each of the 6 months", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, six);
        var (march, _) = await erp.PostEntryAsync(company, new DateOnly(Year + 2, 3, 31), Debit("5240", 48_000m), Credit("1120", 48_000m));
        var (marchMore, _) = await erp.PostEntryAsync(company, new DateOnly(Year + 2, 3, 31), Debit("5240", 0.01m), Credit("1120", 0.01m));
        var (june, body) = await erp.PostEntryAsync(company, new DateOnly(Year + 2, 6, 15), Debit("5240", 72_000m), Credit("1120", 72_000m));
        Assert.Equal(HttpStatusCode.Created, march);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, marchMore);
        Assert.True(june == HttpStatusCode.Created, body.ToString());

        var report = await erp.GetJsonAsync($"/api/erp/reports/budget-variance?company={company}&fiscalYear={half}&asOf={Year + 2}-06-30");
        var months = Assert.Single(report.GetProperty("rows").EnumerateArray()).GetProperty("months");
        Assert.Equal(6, months.GetArrayLength());
        Assert.Equal(24_000m, months[5].GetProperty("budget").GetDecimal());
        Assert.Equal(120_000m, months[5].GetProperty("actualToDate").GetDecimal());
    }

    [Fact]
    public async Task Budget_on_a_group_cost_center_counts_the_spending_of_its_children()
    {
        var company = await erp.NewCompanyAsync();
        await erp.PostAsync("/api/erp/cost-centers", new { company, id = "SHOP-ALEX", name = "Alexandria shop", parent = "STORES" });
        await CreateBudgetAsync(company, "STORES", "5230", 3_000m, annualAction: "Stop");

        await erp.PostEntryOkAsync(company, On(5, 1), Debit("5230", 2_000m, "SHOP-CAIRO"), Credit("1120", 2_000m));
        var (crossing, _) = await erp.PostEntryAsync(company, On(5, 2), Debit("5230", 1_500m, "SHOP-ALEX"), Credit("1120", 1_500m));
        var (elsewhere, _) = await erp.PostEntryAsync(company, On(5, 2), Debit("5230", 1_500m, "ONLINE"), Credit("1120", 1_500m));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, crossing);
        Assert.Equal(HttpStatusCode.Created, elsewhere);
    }

    [Fact]
    public async Task Committed_purchase_orders_count_against_the_budget_once()
    {
        var company = await erp.NewCompanyAsync();
        await CreateBudgetAsync(company, "MAIN", "5270", 10_000m, annualAction: "Stop");
        var order = new { company, documentType = "Purchase Order", documentNo = "PO-0001", date = On(6, 1), lines = new[] { new { account = "5270", costCenter = "MAIN", amount = 6_000m } } };

        var (committed, _) = await erp.PostAsync("/api/erp/budgets/commitments", order);
        var (again, _) = await erp.PostAsync("/api/erp/budgets/commitments", order);
        var (over, _) = await erp.PostEntryAsync(company, On(6, 2), Debit("5270", 4_000.01m), Credit("1110", 4_000.01m));
        var (under, _) = await erp.PostEntryAsync(company, On(6, 2), Debit("5270", 4_000m), Credit("1110", 4_000m));
        var (secondOrder, problem) = await erp.PostAsync("/api/erp/budgets/commitments", order with { documentNo = "PO-0002" });

        Assert.Equal(HttpStatusCode.OK, committed);
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, over);
        Assert.Equal(HttpStatusCode.Created, under);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, secondOrder);
        Assert.Equal("budget-exceeded", problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_released_commitment_no_longer_counts_beside_the_spending_that_replaced_it()
    {
        var company = await erp.NewCompanyAsync();
        await CreateBudgetAsync(company, "MAIN", "5270", 10_000m, annualAction: "Stop");
        await erp.PostAsync("/api/erp/budgets/commitments", new { company, documentType = "Purchase Order", documentNo = "PO-0009", date = On(6, 1), lines = new[] { new { account = "5270", costCenter = "MAIN", amount = 6_000m } } });
        await erp.PostEntryOkAsync(company, On(6, 2), Debit("5270", 1_000m), Credit("1110", 1_000m));
        // The order's invoice: 6,000 spent beside 6,000 still committed and 1,000 spent would cross 10,000.
        var (whileCommitted, _) = await erp.PostEntryAsync(company, On(6, 20), Debit("5270", 6_000m), Credit("1110", 6_000m));

        var (_, released) = await erp.PostAsync("/api/erp/budgets/commitments/release", new { company, documentType = "Purchase Order", documentNo = "PO-0009" });
        var (_, again) = await erp.PostAsync("/api/erp/budgets/commitments/release", new { company, documentType = "Purchase Order", documentNo = "PO-0009" });
        var (afterRelease, entry) = await erp.PostEntryAsync(company, On(6, 20), Debit("5270", 6_000m), Credit("1110", 6_000m));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, whileCommitted);
        Assert.Equal(6_000m, released.GetProperty("released").GetDecimal());
        Assert.Equal(0m, again.GetProperty("released").GetDecimal());
        Assert.True(afterRelease == HttpStatusCode.Created, entry.ToString());

        // A late copy of the order's commit (a client retrying after the order was invoiced) commits nothing again:
        // 7,000 spent leaves 3,000, which a new expense may still take.
        var (late, _) = await erp.PostAsync("/api/erp/budgets/commitments", new { company, documentType = "Purchase Order", documentNo = "PO-0009", date = On(6, 1), lines = new[] { new { account = "5270", costCenter = "MAIN", amount = 6_000m } } });
        var (rest, restBody) = await erp.PostEntryAsync(company, On(6, 21), Debit("5270", 3_000m), Credit("1110", 3_000m));

        Assert.Equal(HttpStatusCode.OK, late);
        Assert.True(rest == HttpStatusCode.Created, restBody.ToString());
    }

    [Fact]
    public async Task A_reclass_between_cost_centers_of_one_budget_is_not_counted_as_spending_against_it()
    {
        var company = await erp.NewCompanyAsync();
        await erp.PostAsync("/api/erp/cost-centers", new { company, id = "SHOP-ALEX", name = "Alexandria shop", parent = "STORES" });
        await CreateBudgetAsync(company, "STORES", "5230", 3_000m, annualAction: "Stop");
        await erp.PostEntryOkAsync(company, On(5, 1), Debit("5230", 2_900m, "SHOP-CAIRO"), Credit("1120", 2_900m));

        // 1,000 of Cairo's spending was Alexandria's: the budget over both shops spends nothing more.
        var (reclass, body) = await erp.PostEntryAsync(company, On(5, 2), Debit("5230", 1_000m, "SHOP-ALEX"), Credit("5230", 1_000m, "SHOP-CAIRO"));
        var (crossing, _) = await erp.PostEntryAsync(company, On(5, 3), Debit("5230", 100.01m, "SHOP-ALEX"), Credit("1120", 100.01m));

        Assert.True(reclass == HttpStatusCode.Created, body.ToString());
        Assert.Equal(0, body.GetProperty("warnings").GetArrayLength());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, crossing);
    }

    [Fact]
    public async Task Parallel_postings_never_take_spending_past_a_stop_budget()
    {
        var company = await erp.NewCompanyAsync();
        await CreateBudgetAsync(company, "MAIN", "5210", 10_000m, annualAction: "Stop");

        var results = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ =>
            erp.PostEntryAsync(company, On(7, 1), Debit("5210", 600m), Credit("1130", 600m))));

        Assert.Equal(16, results.Count(r => r.Status == HttpStatusCode.Created));
        Assert.All(results.Where(r => r.Status != HttpStatusCode.Created), r => Assert.Equal("budget-exceeded", r.Body.GetProperty("type").GetString()));
        Assert.Equal(9_600m, await SpentAsync(company, "5210"));
    }

    [Fact]
    public async Task Budget_needs_a_distribution_of_twelve_months_summing_to_100()
    {
        var company = await erp.NewCompanyAsync();

        var (status, problem) = await erp.PostAsync("/api/erp/budgets", new { company, fiscalYear = Year.ToString(System.Globalization.CultureInfo.InvariantCulture), costCenter = "MAIN", account = "5250", annualAmount = 100m, monthlyDistribution = new[] { 50m, 40m } });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid-monthly-distribution", problem.GetProperty("type").GetString());
    }

    private async Task CreateBudgetAsync(string company, string costCenter, string account, decimal amount, string annualAction = "Stop", string monthlyAction = "Warn", decimal[]? distribution = null)
    {
        var (status, body) = await erp.PostAsync("/api/erp/budgets", new
        {
            company,
            fiscalYear = Year.ToString(System.Globalization.CultureInfo.InvariantCulture),
            costCenter,
            account,
            annualAmount = amount,
            annualAction,
            monthlyAction,
            monthlyDistribution = distribution,
        });
        Assert.True(status == HttpStatusCode.Created, body.ToString());
    }

    private async Task<decimal> SpentAsync(string company, string account)
    {
        var entries = await erp.GetJsonAsync($"/api/erp/gl-entries?company={company}&account={account}&limit=5000");
        return entries.EnumerateArray().Sum(e => e.GetProperty("debit").GetDecimal() - e.GetProperty("credit").GetDecimal());
    }
}
