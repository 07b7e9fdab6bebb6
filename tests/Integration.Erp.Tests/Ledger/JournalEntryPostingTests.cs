using System.Net;
using System.Text.Json;
using Dapper;
using Npgsql;
using static Integration.Erp.Tests.ErpHost;

namespace Integration.Erp.Tests.Ledger;

public sealed class JournalEntryPostingTests(ErpHost erp) : IClassFixture<ErpHost>
{
    [Fact]
    public async Task Balanced_entry_posts_gl_entries_and_expense_lines_get_the_default_cost_center()
    {
        var company = await erp.NewCompanyAsync();

        var entry = await erp.PostEntryOkAsync(company, On(3, 10), Debit("5250", 15_000m), Credit("1120", 15_000m));

        Assert.Equal("posted", entry.GetProperty("status").GetString());
        var gl = entry.GetProperty("glEntries").EnumerateArray().ToList();
        Assert.Equal(2, gl.Count);
        var rent = gl.Single(e => e.GetProperty("account").GetString() == "5250");
        Assert.Equal(15_000m, rent.GetProperty("debit").GetDecimal());
        Assert.Equal("MAIN", rent.GetProperty("costCenter").GetString());
        Assert.Equal(JsonValueKind.Null, gl.Single(e => e.GetProperty("account").GetString() == "1120").GetProperty("costCenter").ValueKind);
        Assert.StartsWith($"JV-{Year}-", entry.GetProperty("voucherNo").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stock_account_is_refused_to_journal_entries_and_as_a_stock_entrys_counter_account_so_it_always_equals_the_stock_ledger()
    {
        var company = await erp.NewCompanyAsync();
        await erp.PostAsync("/api/erp/items", new { company, sku = "B", name = "Wallet" });

        var (status, problem) = await erp.PostEntryAsync(company, On(3, 10), Debit("1160", 1000m), Credit("3100", 1000m));
        var (counterStatus, counterProblem) = await erp.PostAsync("/api/erp/stock-entries", new
        {
            company, purpose = "Receipt", postingDate = On(3, 10), counterAccount = "1160", lines = new[] { new { sku = "B", qty = 10, rate = 40, warehouse = "MAIN-WH" } },
        });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("stock-account", problem.GetProperty("type").GetString());
        Assert.Contains("'1160'", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, counterStatus);
        Assert.Equal("stock-account", counterProblem.GetProperty("type").GetString());
        Assert.Equal(0, await erp.CountAsync("SELECT count(*) FROM erp.gl_entry WHERE company = @company", new { company }));
        Assert.Equal(0, await erp.CountAsync("SELECT count(*) FROM erp.stock_ledger_entry WHERE company = @company", new { company }));
    }

    [Fact]
    public async Task Unbalanced_voucher_is_refused_and_nothing_is_written()
    {
        var company = await erp.NewCompanyAsync();

        var (status, problem) = await erp.PostEntryAsync(company, On(3, 10), Debit("5250", 1000m), Credit("1120", 999m));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("unbalanced-voucher", problem.GetProperty("type").GetString());
        Assert.Equal(1m, problem.GetProperty("difference").GetDecimal());
        Assert.Equal(0, await erp.CountAsync("SELECT count(*) FROM erp.gl_entry WHERE company = @company", new { company }));
        Assert.Equal(0, await erp.CountAsync("SELECT count(*) FROM erp.voucher WHERE company = @company", new { company }));
        Assert.Equal(0, await erp.CountAsync("SELECT count(*) FROM erp.gl_balance WHERE company = @company", new { company }));
    }

    [Theory]
    [InlineData(0.03, 0.03)]
    [InlineData(-0.05, -0.05)]
    public async Task Difference_within_the_rounding_allowance_goes_to_round_off(decimal extraDebit, decimal roundOff)
    {
        var company = await erp.NewCompanyAsync();

        var entry = await erp.PostEntryOkAsync(company, On(4, 1), Debit("1110", 100m + extraDebit), Credit("4100", 100m, "ONLINE"));

        var line = entry.GetProperty("glEntries").EnumerateArray().Single(e => e.GetProperty("account").GetString() == "5900");
        Assert.Equal(roundOff > 0 ? roundOff : 0, line.GetProperty("credit").GetDecimal());
        Assert.Equal(roundOff < 0 ? -roundOff : 0, line.GetProperty("debit").GetDecimal());
        var gl = entry.GetProperty("glEntries").EnumerateArray().ToList();
        Assert.Equal(gl.Sum(e => e.GetProperty("debit").GetDecimal()), gl.Sum(e => e.GetProperty("credit").GetDecimal()));
    }

    [Fact]
    public async Task Posting_into_a_closed_period_is_refused_until_it_is_reopened()
    {
        var company = await erp.NewCompanyAsync();
        await erp.PostAsync($"/api/erp/fiscal-years/{company}/{Year}/close", new { date = On(2, 1) });

        var (status, problem) = await erp.PostEntryAsync(company, On(2, 14), Debit("5260", 500m), Credit("1110", 500m));
        var (marchStatus, _) = await erp.PostEntryAsync(company, On(3, 1), Debit("5260", 500m), Credit("1110", 500m));
        await erp.PostAsync($"/api/erp/fiscal-years/{company}/{Year}/reopen", new { date = On(2, 1) });
        var (reopenedStatus, _) = await erp.PostEntryAsync(company, On(2, 14), Debit("5260", 500m), Credit("1110", 500m));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("closed-period", problem.GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.Created, marchStatus);
        Assert.Equal(HttpStatusCode.Created, reopenedStatus);
    }

    [Fact]
    public async Task Posting_outside_any_fiscal_year_is_refused()
    {
        var company = await erp.NewCompanyAsync();

        var (status, problem) = await erp.PostEntryAsync(company, new DateOnly(Year - 5, 1, 1), Debit("5260", 1m), Credit("1110", 1m));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("no-fiscal-year", problem.GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("9999", "unknown-account")]
    [InlineData("5200", "group-account")]
    [InlineData("1150", "party-required")]
    public async Task Lines_on_wrong_accounts_are_refused_with_a_stable_code(string account, string code)
    {
        var company = await erp.NewCompanyAsync();

        var (status, problem) = await erp.PostEntryAsync(company, On(5, 5), Debit(account, 10m), Credit("1110", 10m));

        Assert.Equal(code, problem.GetProperty("type").GetString());
        Assert.True(status is HttpStatusCode.UnprocessableEntity, status.ToString());
    }

    [Fact]
    public async Task Group_cost_center_is_refused_on_an_expense_line()
    {
        var company = await erp.NewCompanyAsync();

        var (_, problem) = await erp.PostEntryAsync(company, On(5, 5), Debit("5230", 10m, "STORES"), Credit("1110", 10m));

        Assert.Equal("group-cost-center", problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Foreign_currency_lines_post_in_company_currency_at_their_exchange_rate()
    {
        var company = await erp.NewCompanyAsync();

        var entry = await erp.PostEntryOkAsync(company, On(6, 1),
            new { account = "1120", debit = 100m, currency = "USD", exchangeRate = 48.4567m },
            new { account = "4100", credit = 4845.67m, costCenter = "ONLINE" });

        var bank = entry.GetProperty("glEntries").EnumerateArray().Single(e => e.GetProperty("account").GetString() == "1120");
        Assert.Equal(4845.67m, bank.GetProperty("debit").GetDecimal());
        Assert.Equal(100m, bank.GetProperty("debitInTransactionCurrency").GetDecimal());
        Assert.Equal("USD", bank.GetProperty("transactionCurrency").GetString());
    }

    [Fact]
    public async Task A_foreign_currency_line_without_its_exchange_rate_is_refused_rather_than_booked_one_to_one()
    {
        var company = await erp.NewCompanyAsync();

        var (status, problem) = await erp.PostEntryAsync(company, On(6, 1),
            new { account = "1120", debit = 100m, currency = "USD" },
            new { account = "4100", credit = 100m, costCenter = "ONLINE" });

        Assert.True(status is HttpStatusCode.UnprocessableEntity, status.ToString());
        Assert.Equal("exchange-rate-required", problem.GetProperty("type").GetString());
        Assert.Contains("USD", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Many_foreign_currency_lines_that_balance_in_their_currency_post_with_what_converting_rounded()
    {
        var company = await erp.NewCompanyAsync();
        // 13 x 0.10 USD at 48.4567 is 13 x 4.85 = 63.05 EGP on the lines, but 1.30 USD is 62.99 EGP: 0.06 apart, more
        // than the five hundredths a hand-made entry may be off, yet only what converting 14 lines rounded.
        var lines = Enumerable.Range(0, 13).Select(_ => (object)new { account = "4100", credit = 0.10m, currency = "USD", exchangeRate = 48.4567m, costCenter = "ONLINE" })
            .Prepend(new { account = "1120", debit = 1.30m, currency = "USD", exchangeRate = 48.4567m }).ToArray();
        var unbalancedInUsd = lines.Take(13).Append(new { account = "4100", credit = 0.09m, currency = "USD", exchangeRate = 48.4567m, costCenter = "ONLINE" }).ToArray();

        var entry = await erp.PostEntryOkAsync(company, On(6, 2), lines);
        var (refused, problem) = await erp.PostEntryAsync(company, On(6, 2), unbalancedInUsd);

        var gl = entry.GetProperty("glEntries").EnumerateArray().ToList();
        Assert.Equal(gl.Sum(e => e.GetProperty("debit").GetDecimal()), gl.Sum(e => e.GetProperty("credit").GetDecimal()));
        Assert.Equal(-0.06m, gl.Where(e => e.GetProperty("account").GetString() == "5900").Sum(e => e.GetProperty("credit").GetDecimal() - e.GetProperty("debit").GetDecimal()));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused);
        Assert.Equal("unbalanced-voucher", problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Cancelling_a_foreign_currency_entry_gives_back_exactly_what_it_posted_in_company_currency()
    {
        var company = await erp.NewCompanyAsync();
        // 1,000,029.75 at 1/48.4567 posts 20,637.60; the rate is stored to 9 decimals, at which it converts to 20,637.59.
        var entry = await erp.PostEntryOkAsync(company, On(7, 3),
            new { account = "1120", debit = 1_000_029.75m, currency = "XEG", exchangeRate = 1m / 48.4567m },
            new { account = "4100", credit = 20_637.60m, costCenter = "ONLINE" });

        var (status, cancelled) = await erp.PostAsync($"/api/erp/journal-entries/{entry.GetProperty("id").GetInt64()}/cancel", new { });

        Assert.Equal(HttpStatusCode.OK, status);
        var reversal = await erp.GetJsonAsync($"/api/erp/journal-entries/{cancelled.GetProperty("reversedBy").GetInt64()}");
        var both = entry.GetProperty("glEntries").EnumerateArray().Concat(reversal.GetProperty("glEntries").EnumerateArray()).ToList();
        Assert.All(both.GroupBy(e => e.GetProperty("account").GetString()), account =>
            Assert.Equal(0m, account.Sum(e => e.GetProperty("debit").GetDecimal() - e.GetProperty("credit").GetDecimal())));
        Assert.DoesNotContain(both, e => e.GetProperty("account").GetString() == "5900");
    }

    [Fact]
    public async Task An_entry_on_an_account_disabled_since_can_still_be_cancelled_while_new_postings_to_it_are_refused()
    {
        var company = await erp.NewCompanyAsync();
        var entry = await erp.PostEntryOkAsync(company, On(7, 4), Debit("5270", 500m, "MAIN"), Credit("1120", 500m));
        var (disabled, _) = await erp.PatchAsync($"/api/erp/accounts/{company}/5270", new { disabled = true });

        var (status, cancelled) = await erp.PostAsync($"/api/erp/journal-entries/{entry.GetProperty("id").GetInt64()}/cancel", new { });
        var (newStatus, problem) = await erp.PostEntryAsync(company, On(7, 5), Debit("5270", 500m, "MAIN"), Credit("1120", 500m));

        Assert.Equal(HttpStatusCode.OK, disabled);
        Assert.True(status == HttpStatusCode.OK, cancelled.ToString());
        Assert.Equal(0m, await erp.ScalarAsync<decimal>("SELECT coalesce(sum(debit - credit), 0) FROM erp.gl_entry WHERE company = @company AND account = '5270'", new { company }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, newStatus);
        Assert.Equal("group-account", problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_fiscal_year_runs_in_whole_months()
    {
        var company = await erp.NewCompanyAsync();

        var (midMonth, problem) = await erp.PostAsync("/api/erp/fiscal-years", new { company, id = "FY-APR", startDate = new DateOnly(Year + 3, 4, 15), endDate = new DateOnly(Year + 4, 4, 14) });
        var (wholeMonths, year) = await erp.PostAsync("/api/erp/fiscal-years", new { company, id = "FY-JUL", startDate = new DateOnly(Year + 3, 7, 1), endDate = new DateOnly(Year + 4, 6, 30) });

        Assert.Equal(HttpStatusCode.BadRequest, midMonth);
        Assert.Equal("invalid-fiscal-year", problem.GetProperty("type").GetString());
        Assert.True(wholeMonths == HttpStatusCode.Created, year.ToString());
        Assert.Equal(12, year.GetProperty("periods").GetArrayLength());
    }

    [Fact]
    public async Task A_posted_gl_row_cannot_be_changed_or_deleted_even_with_sql()
    {
        var company = await erp.NewCompanyAsync();
        var entry = await erp.PostEntryOkAsync(company, On(3, 3), Debit("5270", 80m), Credit("1110", 80m));
        var id = entry.GetProperty("glEntries")[0].GetProperty("id").GetInt64();

        await using var connection = await erp.OpenAsync();
        var update = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync("UPDATE erp.gl_entry SET debit = 1 WHERE id = @id", new { id }));
        var delete = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync("DELETE FROM erp.gl_entry WHERE id = @id", new { id }));

        Assert.Contains("immutable", update.MessageText, StringComparison.Ordinal);
        Assert.Contains("immutable", delete.MessageText, StringComparison.Ordinal);
        Assert.Equal(80m, await connection.ExecuteScalarAsync<decimal>("SELECT debit + credit FROM erp.gl_entry WHERE id = @id", new { id }));
    }

    [Fact]
    public async Task Cancelling_posts_an_exact_reversal_and_the_trial_balance_returns_to_its_previous_state()
    {
        var company = await erp.NewCompanyAsync();
        await erp.PostEntryOkAsync(company, On(7, 1), Debit("1120", 50_000m), Credit("3100", 50_000m));
        var before = await erp.GetJsonAsync($"/api/erp/reports/trial-balance?company={company}&from={On(1, 1):yyyy-MM-dd}&to={On(12, 31):yyyy-MM-dd}");
        var entry = await erp.PostEntryOkAsync(company, On(7, 2),
            Debit("5220", 1234.56m, "ONLINE"), Debit("1170", 172.84m), Credit("1120", 1407.40m));

        var (status, cancelled) = await erp.PostAsync($"/api/erp/journal-entries/{entry.GetProperty("id").GetInt64()}/cancel", new { });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        var reversalId = cancelled.GetProperty("reversedBy").GetInt64();
        var reversal = await erp.GetJsonAsync($"/api/erp/journal-entries/{reversalId}");
        Assert.Equal(entry.GetProperty("id").GetInt64(), reversal.GetProperty("reverses").GetInt64());
        var original = entry.GetProperty("glEntries").EnumerateArray().Select(e => (Account: e.GetProperty("account").GetString(), Debit: e.GetProperty("debit").GetDecimal(), Credit: e.GetProperty("credit").GetDecimal(), CostCenter: e.GetProperty("costCenter").ToString())).OrderBy(e => e.Account).ToList();
        var mirrored = reversal.GetProperty("glEntries").EnumerateArray().Select(e => (Account: e.GetProperty("account").GetString(), Debit: e.GetProperty("credit").GetDecimal(), Credit: e.GetProperty("debit").GetDecimal(), CostCenter: e.GetProperty("costCenter").ToString())).OrderBy(e => e.Account).ToList();
        Assert.Equal(original, mirrored);
        var after = await erp.GetJsonAsync($"/api/erp/reports/trial-balance?company={company}&from={On(1, 1):yyyy-MM-dd}&to={On(12, 31):yyyy-MM-dd}");
        Assert.Equal(Closing(before), Closing(after));

        var (again, problem) = await erp.PostAsync($"/api/erp/journal-entries/{entry.GetProperty("id").GetInt64()}/cancel", new { });
        Assert.Equal(HttpStatusCode.Conflict, again);
        Assert.Equal("not-posted", problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Creating_with_the_same_idempotency_key_returns_the_existing_entry()
    {
        var company = await erp.NewCompanyAsync();
        var request = new { company, postingDate = On(8, 8), post = true, idempotencyKey = "shopify:order:1001:payment", lines = new[] { Debit("1130", 250m), Credit("1150", 250m, party: "CUST-1") } };

        var first = await erp.PostAsync("/api/erp/journal-entries", request);
        var second = await erp.PostAsync("/api/erp/journal-entries", request);

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.Equal(first.Body.GetProperty("id").GetInt64(), second.Body.GetProperty("id").GetInt64());
        Assert.Equal(2, await erp.CountAsync("SELECT count(*) FROM erp.gl_entry WHERE company = @company", new { company }));
    }

    [Fact]
    public async Task A_draft_posts_once()
    {
        var company = await erp.NewCompanyAsync();
        var (_, draft) = await erp.PostAsync("/api/erp/journal-entries", new { company, postingDate = On(9, 1), lines = new[] { Debit("5240", 9000m), Credit("1120", 9000m) } });
        Assert.Equal("draft", draft.GetProperty("status").GetString());
        Assert.Equal(0, draft.GetProperty("glEntries").GetArrayLength());
        var id = draft.GetProperty("id").GetInt64();

        var (posted, entry) = await erp.PostAsync($"/api/erp/journal-entries/{id}/post", new { });
        var (again, problem) = await erp.PostAsync($"/api/erp/journal-entries/{id}/post", new { });

        Assert.Equal(HttpStatusCode.OK, posted);
        Assert.Equal(2, entry.GetProperty("glEntries").GetArrayLength());
        Assert.Equal(HttpStatusCode.Conflict, again);
        Assert.Equal("not-a-draft", problem.GetProperty("type").GetString());
    }

    private static Dictionary<string, (decimal, decimal)> Closing(JsonElement trialBalance) =>
        trialBalance.GetProperty("rows").EnumerateArray().ToDictionary(
            r => r.GetProperty("account").GetString()!,
            r => (r.GetProperty("closingDebit").GetDecimal(), r.GetProperty("closingCredit").GetDecimal()));
}
