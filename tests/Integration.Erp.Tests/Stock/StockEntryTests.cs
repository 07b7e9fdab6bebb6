using System.Net;
using System.Text.Json;
using Dapper;
using static Integration.Erp.Tests.ErpHost;

namespace Integration.Erp.Tests.Stock;

public sealed class StockEntryTests(ErpHost erp) : IClassFixture<ErpHost>
{
    [Fact]
    public async Task Moving_average_receipts_and_an_issue_post_stock_ledger_and_matching_gl()
    {
        var company = await erp.NewCompanyAsync();
        await NewItemAsync(company, "TSHIRT-M");

        await StockOkAsync(company, "Receipt", On(3, 1), new { sku = "TSHIRT-M", qty = 10, rate = 100, warehouse = "MAIN-WH" });
        await StockOkAsync(company, "Receipt", On(3, 2), new { sku = "TSHIRT-M", qty = 10, rate = 130, warehouse = "MAIN-WH" });
        var issue = await StockOkAsync(company, "Issue", On(3, 3), new { sku = "TSHIRT-M", qty = 5, warehouse = "MAIN-WH" });

        var row = Assert.Single(issue.GetProperty("stockLedger").EnumerateArray());
        Assert.Equal(-575m, row.GetProperty("valueChange").GetDecimal());
        Assert.Equal(15m, row.GetProperty("qtyAfter").GetDecimal());
        Assert.Equal(115m, row.GetProperty("valuationRate").GetDecimal());
        Assert.Equal(1725m, await AccountBalanceAsync(company, "1160"));
        Assert.Equal(-2300m, await AccountBalanceAsync(company, "2140"));
        Assert.Equal(575m, await AccountBalanceAsync(company, "5300"));
    }

    [Fact]
    public async Task The_stock_ledger_report_comes_a_page_at_a_time_in_item_warehouse_and_date_order()
    {
        var company = await erp.NewCompanyAsync();
        await NewItemAsync(company, "CAP");
        await NewItemAsync(company, "BAG");
        for (var day = 1; day <= 3; day++)
        {
            await StockOkAsync(company, "Receipt", On(3, 4 - day), new { sku = "CAP", qty = day, rate = 10, warehouse = "MAIN-WH" },
                new { sku = "BAG", qty = day, rate = 50, warehouse = "MAIN-WH" });
        }

        var seen = new List<(string Sku, DateOnly Date)>();
        string? after = null;
        var pages = 0;
        do
        {
            using var page = await erp.Client.GetAsync($"/api/erp/reports/stock-ledger?company={company}&limit=2{(after is null ? "" : "&after=" + after)}");
            page.EnsureSuccessStatusCode();
            var rows = JsonDocument.Parse(await page.Content.ReadAsStringAsync()).RootElement;
            seen.AddRange(rows.EnumerateArray().Select(r => (r.GetProperty("sku").GetString()!, DateOnly.Parse(r.GetProperty("postingDate").GetString()!, System.Globalization.CultureInfo.InvariantCulture))));
            after = page.Headers.TryGetValues("X-Next-After", out var next) ? next.Single() : null;
            pages++;
        }
        while (after is not null && pages < 10);

        Assert.Equal(4, pages); // 2 + 2 + 2 rows, then an empty page after the last full one
        Assert.Equal(
            [("BAG", On(3, 1)), ("BAG", On(3, 2)), ("BAG", On(3, 3)), ("CAP", On(3, 1)), ("CAP", On(3, 2)), ("CAP", On(3, 3))],
            seen);
    }

    [Fact]
    public async Task A_movement_worth_nothing_is_refused_in_a_closed_period_like_one_with_value()
    {
        var company = await erp.NewCompanyAsync();
        await NewItemAsync(company, "SAMPLE");
        await StockOkAsync(company, "Receipt", On(1, 5), new { sku = "SAMPLE", qty = 10, rate = 100, warehouse = "MAIN-WH" });
        await erp.PostAsync($"/api/erp/fiscal-years/{company}/{On(1, 1).Year}/close", new { date = On(1, 1) });

        var (status, problem) = await PostStockAsync(company, "Receipt", On(1, 20), new { sku = "SAMPLE", qty = 10, rate = 0, warehouse = "MAIN-WH" });
        var (februaryStatus, _) = await PostStockAsync(company, "Receipt", On(2, 3), new { sku = "SAMPLE", qty = 10, rate = 0, warehouse = "MAIN-WH" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("closed-period", problem.GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.Created, februaryStatus);
        Assert.Equal(20m, (await BalanceAsync(company, "SAMPLE", "MAIN-WH")).GetProperty("actualQty").GetDecimal());
    }

    [Fact]
    public async Task Fifo_issue_consumes_the_oldest_lots_first()
    {
        var company = await erp.NewCompanyAsync();
        await NewItemAsync(company, "MUG", valuation: "FIFO");
        await StockOkAsync(company, "Receipt", On(4, 1), new { sku = "MUG", qty = 10, rate = 100, warehouse = "MAIN-WH" });
        await StockOkAsync(company, "Receipt", On(4, 2), new { sku = "MUG", qty = 10, rate = 130, warehouse = "MAIN-WH" });

        var issue = await StockOkAsync(company, "Issue", On(4, 3), new { sku = "MUG", qty = 15, warehouse = "MAIN-WH" });

        Assert.Equal(-1650m, issue.GetProperty("stockLedger")[0].GetProperty("valueChange").GetDecimal());
        var balance = await BalanceAsync(company, "MUG", "MAIN-WH");
        Assert.Equal(5m, balance.GetProperty("actualQty").GetDecimal());
        Assert.Equal(650m, balance.GetProperty("stockValue").GetDecimal());
    }

    [Fact]
    public async Task Lines_of_one_bin_in_one_entry_are_valued_one_after_the_other()
    {
        var company = await erp.NewCompanyAsync();
        await NewItemAsync(company, "VASE");
        await StockOkAsync(company, "Receipt", On(5, 1), new { sku = "VASE", qty = 10, rate = 100, warehouse = "MAIN-WH" });

        var entry = await StockOkAsync(company, "Receipt", On(5, 2),
            new { sku = "VASE", qty = 10, rate = 200, warehouse = "MAIN-WH" },
            new { sku = "VASE", qty = 20, rate = 50, warehouse = "MAIN-WH" });

        var rows = entry.GetProperty("stockLedger");
        Assert.Equal(20m, rows[0].GetProperty("qtyAfter").GetDecimal());
        Assert.Equal(3000m, rows[0].GetProperty("stockValue").GetDecimal());
        Assert.Equal(40m, rows[1].GetProperty("qtyAfter").GetDecimal());
        Assert.Equal(4000m, rows[1].GetProperty("stockValue").GetDecimal());
        var bin = await BalanceAsync(company, "VASE", "MAIN-WH");
        Assert.Equal(40m, bin.GetProperty("actualQty").GetDecimal());
        Assert.Equal(4000m, bin.GetProperty("stockValue").GetDecimal());
        Assert.Equal(4000m, await AccountBalanceAsync(company, "1160"));
    }

    [Fact]
    public async Task Back_dated_receipt_revalues_later_issues_and_posts_the_difference()
    {
        var company = await erp.NewCompanyAsync();
        await NewItemAsync(company, "LAMP");
        await StockOkAsync(company, "Receipt", On(3, 10), new { sku = "LAMP", qty = 10, rate = 100, warehouse = "MAIN-WH" });
        var issue = await StockOkAsync(company, "Issue", On(3, 20), new { sku = "LAMP", qty = 5, warehouse = "MAIN-WH" });
        Assert.Equal(-500m, issue.GetProperty("stockLedger")[0].GetProperty("valueChange").GetDecimal());

        await StockOkAsync(company, "Receipt", On(3, 15), new { sku = "LAMP", qty = 10, rate = 160, warehouse = "MAIN-WH" });

        var revalued = await erp.GetJsonAsync($"/api/erp/stock-entries/{issue.GetProperty("id").GetInt64()}");
        var row = revalued.GetProperty("stockLedger")[0];
        Assert.Equal(-650m, row.GetProperty("valueChange").GetDecimal()); // 5 at the new average of 130
        Assert.Equal(15m, row.GetProperty("qtyAfter").GetDecimal());
        Assert.Equal(650m, await AccountBalanceAsync(company, "5300"));
        Assert.Equal(1950m, await AccountBalanceAsync(company, "1160"));
        Assert.Equal(1950m, (await BalanceAsync(company, "LAMP", "MAIN-WH")).GetProperty("stockValue").GetDecimal());
    }

    [Fact]
    public async Task A_count_without_a_rate_is_valued_again_at_the_rate_a_back_dated_receipt_gives_it_and_one_with_a_rate_keeps_it()
    {
        var company = await erp.NewCompanyAsync();
        await NewItemAsync(company, "VASE");
        await NewItemAsync(company, "JUG");
        foreach (var sku in new[] { "VASE", "JUG" })
        {
            await StockOkAsync(company, "Receipt", On(3, 1), new { sku, qty = 10, rate = 100, warehouse = "MAIN-WH" });
        }

        // Counted on 20 March, 10 of each as the books say: the vase at the bin's rate, the jug at a rate the counter gave.
        await StockOkAsync(company, "Reconciliation", On(3, 20), new { sku = "VASE", qty = 10, warehouse = "MAIN-WH" });
        await StockOkAsync(company, "Reconciliation", On(3, 20), new { sku = "JUG", qty = 10, rate = 100, warehouse = "MAIN-WH" });
        Assert.Equal(0m, await AccountBalanceAsync(company, "5300"));

        // A receipt of 15 March entered late: 20 @ 130 before the counts, which find 10.
        foreach (var sku in new[] { "VASE", "JUG" })
        {
            await StockOkAsync(company, "Receipt", On(3, 15), new { sku, qty = 10, rate = 160, warehouse = "MAIN-WH" });
        }

        var vase = await BalanceAsync(company, "VASE", "MAIN-WH");
        var jug = await BalanceAsync(company, "JUG", "MAIN-WH");
        Assert.Equal((10m, 1300m), (vase.GetProperty("actualQty").GetDecimal(), vase.GetProperty("stockValue").GetDecimal()));
        Assert.Equal((10m, 1000m), (jug.GetProperty("actualQty").GetDecimal(), jug.GetProperty("stockValue").GetDecimal()));
        Assert.Equal(2300m, await AccountBalanceAsync(company, "1160"));
        Assert.Equal(1300m + 1600m, await AccountBalanceAsync(company, "5300")); // the 10 units the counts did not find
    }

    [Fact]
    public async Task Stock_cannot_go_negative_unless_the_company_allows_it()
    {
        var company = await erp.NewCompanyAsync();
        await NewItemAsync(company, "CAP");
        await StockOkAsync(company, "Receipt", On(5, 1), new { sku = "CAP", qty = 2, rate = 40, warehouse = "MAIN-WH" });

        var (refused, problem) = await PostStockAsync(company, "Issue", On(5, 2), new { sku = "CAP", qty = 3, warehouse = "MAIN-WH" });
        await erp.Client.PatchAsync($"/api/erp/companies/{company}", JsonContent(new { allowNegativeStock = true }));
        var (allowed, _) = await PostStockAsync(company, "Issue", On(5, 2), new { sku = "CAP", qty = 3, warehouse = "MAIN-WH" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused);
        Assert.Equal("insufficient-stock", problem.GetProperty("type").GetString());
        Assert.Equal(2m, problem.GetProperty("available").GetDecimal());
        Assert.Equal(HttpStatusCode.Created, allowed);
        Assert.Equal(-1m, (await BalanceAsync(company, "CAP", "MAIN-WH")).GetProperty("actualQty").GetDecimal());

        // Negative stock switched off again: the bin still short takes receipts (what comes in fills it), not issues.
        await erp.Client.PatchAsync($"/api/erp/companies/{company}", JsonContent(new { allowNegativeStock = false }));
        var (issuedShort, _) = await PostStockAsync(company, "Issue", On(5, 3), new { sku = "CAP", qty = 1, warehouse = "MAIN-WH" });
        var (partly, partlyBody) = await PostStockAsync(company, "Receipt", On(5, 3), new { sku = "CAP", qty = 0.5m, rate = 40, warehouse = "MAIN-WH" });
        // A back-dated receipt covering part of the shortage: the issue of 2 May is still short, but less than before.
        var (backDated, backDatedBody) = await PostStockAsync(company, "Receipt", On(5, 1), new { sku = "CAP", qty = 0.25m, rate = 40, warehouse = "MAIN-WH" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, issuedShort);
        Assert.True(partly == HttpStatusCode.Created, partlyBody.ToString());
        Assert.True(backDated == HttpStatusCode.Created, backDatedBody.ToString());
        var bin = await BalanceAsync(company, "CAP", "MAIN-WH");
        Assert.Equal(-0.25m, bin.GetProperty("actualQty").GetDecimal());
        Assert.Equal(bin.GetProperty("stockValue").GetDecimal(), await AccountBalanceAsync(company, "1160"));
        // A back-dated issue that would make a later row lower than it was is still refused.
        var (worse, _) = await PostStockAsync(company, "Issue", On(5, 1), new { sku = "CAP", qty = 0.25m, warehouse = "MAIN-WH" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, worse);
    }

    [Fact]
    public async Task A_template_of_variants_takes_no_stock_its_variants_do()
    {
        var company = await erp.NewCompanyAsync();
        await erp.PostAsync("/api/erp/items", new { company, sku = "TEE", name = "T-shirt", isTemplate = true, attributes = new { size = new[] { "S", "M" } } });
        await erp.PostAsync("/api/erp/items", new { company, sku = "TEE-M", name = "T-shirt M", templateSku = "TEE", attributes = new { size = "M" } });

        var (template, problem) = await PostStockAsync(company, "Receipt", On(5, 1), new { sku = "TEE", qty = 10, rate = 100, warehouse = "MAIN-WH" });
        var (variant, _) = await PostStockAsync(company, "Receipt", On(5, 1), new { sku = "TEE-M", qty = 10, rate = 100, warehouse = "MAIN-WH" });

        Assert.Equal((HttpStatusCode.UnprocessableEntity, "template-item"), (template, problem.GetProperty("type").GetString()));
        Assert.Equal(HttpStatusCode.Created, variant);
        Assert.Equal(1000m, await AccountBalanceAsync(company, "1160"));
    }

    [Theory]
    [InlineData("Moving Average")]
    [InlineData("FIFO")]
    public async Task A_receipt_into_stock_issued_short_brings_the_owed_units_in_at_their_issue_cost_and_books_the_rest_as_adjustment(string valuation)
    {
        var company = await erp.NewCompanyAsync();
        await erp.Client.PatchAsync($"/api/erp/companies/{company}", JsonContent(new { allowNegativeStock = true }));
        await NewItemAsync(company, "KETTLE", valuation: valuation);
        await StockOkAsync(company, "Receipt", On(6, 1), new { sku = "KETTLE", qty = 1, rate = 100, warehouse = "MAIN-WH" });
        await StockOkAsync(company, "Issue", On(6, 2), new { sku = "KETTLE", qty = 3, warehouse = "MAIN-WH" }); // 2 short, at 100

        // 2 of the 5 fill what went out short: they come in at 100; they cost 120, so 40 more is a stock adjustment.
        await StockOkAsync(company, "Receipt", On(6, 3), new { sku = "KETTLE", qty = 5, rate = 120, warehouse = "MAIN-WH" });

        var bin = await BalanceAsync(company, "KETTLE", "MAIN-WH");
        Assert.Equal(3m, bin.GetProperty("actualQty").GetDecimal());
        Assert.Equal(360m, bin.GetProperty("stockValue").GetDecimal());
        Assert.Equal(360m, await AccountBalanceAsync(company, "1160"));
        Assert.Equal(-700m, await AccountBalanceAsync(company, "2140")); // what the receipts cost: 100 + 600
        Assert.Equal(340m, await AccountBalanceAsync(company, "5300")); // 300 issued, and 40 the short units cost beyond that

        // A back-dated receipt covering the shortage before it was issued: the later receipt fills nothing owed any more,
        // and the adjustment goes back; what the receipts cost stays on the received-not-billed account.
        await StockOkAsync(company, "Receipt", On(6, 1), new { sku = "KETTLE", qty = 2, rate = 100, warehouse = "MAIN-WH" });

        bin = await BalanceAsync(company, "KETTLE", "MAIN-WH");
        Assert.Equal(5m, bin.GetProperty("actualQty").GetDecimal());
        Assert.Equal(600m, bin.GetProperty("stockValue").GetDecimal());
        Assert.Equal(600m, await AccountBalanceAsync(company, "1160"));
        Assert.Equal(-900m, await AccountBalanceAsync(company, "2140"));
        Assert.Equal(300m, await AccountBalanceAsync(company, "5300"));
    }

    [Fact]
    public async Task A_receipt_filling_a_shortage_issued_at_no_cost_posts_its_cost_as_adjustment()
    {
        var company = await erp.NewCompanyAsync();
        await erp.Client.PatchAsync($"/api/erp/companies/{company}", JsonContent(new { allowNegativeStock = true }));
        await NewItemAsync(company, "TRAY");
        await StockOkAsync(company, "Issue", On(7, 1), new { sku = "TRAY", qty = 2, warehouse = "MAIN-WH" }); // sold before any came in: at 0

        var (status, body) = await PostStockAsync(company, "Receipt", On(7, 2), new { sku = "TRAY", qty = 2, rate = 50, warehouse = "MAIN-WH" });

        Assert.True(status == HttpStatusCode.Created, body.ToString());
        Assert.Equal(0m, (await BalanceAsync(company, "TRAY", "MAIN-WH")).GetProperty("stockValue").GetDecimal());
        Assert.Equal(0m, await AccountBalanceAsync(company, "1160"));
        Assert.Equal(-100m, await AccountBalanceAsync(company, "2140"));
        Assert.Equal(100m, await AccountBalanceAsync(company, "5300"));
    }

    [Theory]
    [InlineData(11)]
    [InlineData(2027)]
    public async Task With_negative_stock_allowed_value_stays_quantity_times_rate_and_receipts_keep_their_cost(int seed)
    {
        var company = await erp.NewCompanyAsync();
        await erp.Client.PatchAsync($"/api/erp/companies/{company}", JsonContent(new { allowNegativeStock = true }));
        string[] skus = ["N-1", "N-2"];
        await NewItemAsync(company, "N-1");
        await NewItemAsync(company, "N-2", valuation: "FIFO");
        var random = new Random(seed);
        var received = 0m;
        for (var i = 0; i < 50; i++)
        {
            var sku = skus[random.Next(skus.Length)];
            var date = On(1 + random.Next(12), 1 + random.Next(28)); // back-dated often: later rows are re-valued
            var qty = 1 + random.Next(9);
            var rate = Math.Round(10 + ((decimal)random.NextDouble() * 90), 2);
            var kind = random.Next(10);
            var (status, body) = kind switch
            {
                < 4 => await PostStockAsync(company, "Receipt", date, new { sku, qty, rate, warehouse = "MAIN-WH" }),
                < 9 => await PostStockAsync(company, "Issue", date, new { sku, qty = qty + 3, warehouse = "MAIN-WH" }),
                _ => await PostStockAsync(company, "Reconciliation", date, new { sku, qty, rate, warehouse = "MAIN-WH" }),
            };
            Assert.True(status == HttpStatusCode.Created, body.ToString());
            received += kind < 4 ? Math.Round(qty * rate, 2) : 0;
        }

        await using var connection = await erp.OpenAsync();
        var bins = await connection.QueryAsync<decimal>("SELECT stock_value FROM erp.bin WHERE company = @company", new { company });
        Assert.Equal(bins.Sum(), await AccountBalanceAsync(company, "1160"));
        Assert.Equal(-received, await AccountBalanceAsync(company, "2140"));
        // After every movement, not only the last: the stock is worth its quantity at its rate (moving average) or its
        // lots (FIFO), and nothing once the quantity is back to 0.
        var rows = await connection.QueryAsync<(string Sku, string VoucherNo, decimal Qty, decimal Value, decimal Rate, string? Lots)>("""
            SELECT sku, voucher_no, qty_after, stock_value, valuation_rate, fifo_queue::text FROM erp.stock_ledger_entry
            WHERE company = @company ORDER BY sku, posting_date, id
            """, new { company });
        foreach (var row in rows)
        {
            var worth = row.Sku == "N-1" ? row.Qty * row.Rate
                : JsonDocument.Parse(row.Lots ?? "[]").RootElement.EnumerateArray().Sum(l => l[0].GetDecimal() * l[1].GetDecimal());
            Assert.True(Math.Abs(row.Value - worth) <= 0.05m && (row.Qty != 0 || row.Value == 0), $"{row.Sku} after {row.VoucherNo}: {row.Qty} worth {row.Value}, not {worth}");
        }
    }

    [Fact]
    public async Task Concurrent_sales_of_the_last_unit_never_drive_stock_negative()
    {
        var company = await erp.NewCompanyAsync();
        await NewItemAsync(company, "LAST-ONE");
        await StockOkAsync(company, "Receipt", On(6, 1), new { sku = "LAST-ONE", qty = 1, rate = 999, warehouse = "CAIRO-WH" });

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            PostStockAsync(company, "Issue", On(6, 2), new { sku = "LAST-ONE", qty = 1, warehouse = "CAIRO-WH" })));

        Assert.Equal(1, results.Count(r => r.Status == HttpStatusCode.Created));
        Assert.All(results.Where(r => r.Status != HttpStatusCode.Created), r => Assert.Equal("insufficient-stock", r.Body.GetProperty("type").GetString()));
        Assert.Equal(0m, (await BalanceAsync(company, "LAST-ONE", "CAIRO-WH")).GetProperty("actualQty").GetDecimal());
    }

    [Fact]
    public async Task Transfer_moves_quantity_and_value_between_warehouses_and_their_stock_accounts()
    {
        var company = await erp.NewCompanyAsync();
        await erp.PostAsync("/api/erp/accounts", new { company, id = "1161", name = "Inventory - Alexandria", parent = "1100", rootType = "Asset", accountType = "Stock" });
        await erp.PostAsync("/api/erp/warehouses", new { company, id = "ALEX-WH", name = "Alexandria shop", parent = "ALL-WH", stockAccount = "1161" });
        await NewItemAsync(company, "SCARF");
        await StockOkAsync(company, "Receipt", On(7, 1), new { sku = "SCARF", qty = 4, rate = 75, warehouse = "MAIN-WH" });

        var transfer = await StockOkAsync(company, "Transfer", On(7, 2), new { sku = "SCARF", qty = 3, fromWarehouse = "MAIN-WH", toWarehouse = "ALEX-WH" });

        Assert.Equal(2, transfer.GetProperty("stockLedger").GetArrayLength());
        Assert.Equal(225m, (await BalanceAsync(company, "SCARF", "ALEX-WH")).GetProperty("stockValue").GetDecimal());
        Assert.Equal(75m, (await BalanceAsync(company, "SCARF", "MAIN-WH")).GetProperty("stockValue").GetDecimal());
        Assert.Equal(225m, await AccountBalanceAsync(company, "1161"));
        Assert.Equal(75m, await AccountBalanceAsync(company, "1160"));
    }

    [Theory]
    [InlineData("1130")]
    [InlineData("1100")]
    public async Task A_warehouse_is_refused_a_stock_account_that_is_not_a_ledger_account_of_type_stock(string account)
    {
        var company = await erp.NewCompanyAsync();

        var (status, problem) = await erp.PostAsync("/api/erp/warehouses", new { company, id = "ODD-WH", name = "Odd shop", parent = "ALL-WH", stockAccount = account });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("stock-account-type", problem.GetProperty("type").GetString());
        Assert.Contains($"account '{account}'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(424242)]
    [InlineData(7)]
    [InlineData(2026)]
    public async Task Stock_value_equals_the_stock_accounts_after_a_random_series_of_entries(int seed)
    {
        var company = await erp.NewCompanyAsync();
        await erp.PostAsync("/api/erp/accounts", new { company, id = "1162", name = "Inventory - Cairo", parent = "1100", rootType = "Asset", accountType = "Stock" });
        await erp.PostAsync("/api/erp/warehouses", new { company, id = "CAIRO2-WH", name = "Cairo 2", parent = "ALL-WH", stockAccount = "1162" });
        string[] skus = ["R-1", "R-2", "R-3"];
        foreach (var sku in skus)
        {
            await NewItemAsync(company, sku, valuation: sku == "R-2" ? "FIFO" : "Moving Average");
        }

        string[] warehouses = ["MAIN-WH", "CAIRO2-WH"];
        var random = new Random(seed);
        for (var i = 0; i < 60; i++)
        {
            var sku = skus[random.Next(skus.Length)];
            var warehouse = warehouses[random.Next(2)];
            var date = On(1 + random.Next(12), 1 + random.Next(28));
            var qty = 1 + random.Next(9);
            var (status, body) = random.Next(6) switch
            {
                0 or 1 or 2 => await PostStockAsync(company, "Receipt", date, new { sku, qty, rate = Math.Round(10 + (decimal)random.NextDouble() * 90, 2), warehouse }),
                3 => await PostStockAsync(company, "Issue", date, new { sku, qty, warehouse }),
                4 => await PostStockAsync(company, "Transfer", date, new { sku, qty, fromWarehouse = warehouse, toWarehouse = warehouses.First(w => w != warehouse) }),
                _ => await PostStockAsync(company, "Reconciliation", date, new { sku, qty, rate = Math.Round(10 + (decimal)random.NextDouble() * 90, 2), warehouse }),
            };
            Assert.True(status is HttpStatusCode.Created || body.GetProperty("type").GetString() == "insufficient-stock", body.ToString());
        }

        await using var connection = await erp.OpenAsync();
        var byAccount = (await connection.QueryAsync<(string Account, decimal Value)>("""
            SELECT w.stock_account, sum(b.stock_value) FROM erp.bin b JOIN erp.warehouse w ON w.company = b.company AND w.id = b.warehouse
            WHERE b.company = @company GROUP BY w.stock_account
            """, new { company })).ToList();
        Assert.NotEmpty(byAccount);
        foreach (var (account, value) in byAccount)
        {
            Assert.Equal(value, await AccountBalanceAsync(company, account));
        }

        var ledgerValue = await connection.ExecuteScalarAsync<decimal>("SELECT coalesce(sum(value_change), 0) FROM erp.stock_ledger_entry WHERE company = @company", new { company });
        Assert.Equal(byAccount.Sum(a => a.Value), ledgerValue);
    }

    [Fact]
    public async Task The_same_idempotency_key_posts_a_stock_entry_once_and_outbox_hears_of_each_change()
    {
        var company = await erp.NewCompanyAsync();
        await NewItemAsync(company, "IDEM");
        var request = new { company, purpose = "Receipt", postingDate = On(8, 1), idempotencyKey = "grn-1001", lines = new[] { new { sku = "IDEM", qty = 5, rate = 10, warehouse = "MAIN-WH" } } };

        var first = await erp.PostAsync("/api/erp/stock-entries", request);
        var second = await erp.PostAsync("/api/erp/stock-entries", request);

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.Equal(5m, (await BalanceAsync(company, "IDEM", "MAIN-WH")).GetProperty("actualQty").GetDecimal());
        Assert.Equal(1, await erp.CountAsync("SELECT count(*) FROM integration.outbox WHERE company = @company AND topic = 'erp.stock.changed' AND entity_key = 'IDEM@MAIN-WH'", new { company }));
        await using var connection = await erp.OpenAsync();
        using var payload = JsonDocument.Parse(await connection.ExecuteScalarAsync<string>(
            "SELECT payload::text FROM integration.outbox WHERE company = @company AND topic = 'erp.stock.changed' AND entity_key = 'IDEM@MAIN-WH'", new { company }) ?? "null");
        Assert.Equal("IDEM", payload.RootElement.GetProperty("sku").GetString());
        Assert.Equal("MAIN-WH", payload.RootElement.GetProperty("warehouse").GetString());
        Assert.Equal(5m, payload.RootElement.GetProperty("actual").GetDecimal());
        Assert.Equal(5m, payload.RootElement.GetProperty("projected").GetDecimal());
        Assert.Equal(first.Body.GetProperty("voucherNo").GetString(), payload.RootElement.GetProperty("voucherNo").GetString());
    }

    private async Task NewItemAsync(string company, string sku, string valuation = "Moving Average")
    {
        var (status, body) = await erp.PostAsync("/api/erp/items", new { company, sku, name = sku, itemGroup = "PRODUCTS", valuationMethod = valuation });
        Assert.True(status == HttpStatusCode.Created, body.ToString());
    }

    private Task<(HttpStatusCode Status, JsonElement Body)> PostStockAsync(string company, string purpose, DateOnly date, params object[] lines) =>
        erp.PostAsync("/api/erp/stock-entries", new { company, purpose, postingDate = date, lines });

    private async Task<JsonElement> StockOkAsync(string company, string purpose, DateOnly date, params object[] lines)
    {
        var (status, body) = await PostStockAsync(company, purpose, date, lines);
        Assert.True(status == HttpStatusCode.Created, $"{(int)status}: {body}");
        return body;
    }

    private async Task<JsonElement> BalanceAsync(string company, string sku, string warehouse) =>
        Assert.Single((await erp.GetJsonAsync($"/api/erp/stock-balances?company={company}&sku={sku}&warehouse={warehouse}")).EnumerateArray());

    private async Task<decimal> AccountBalanceAsync(string company, string account)
    {
        await using var connection = await erp.OpenAsync();
        return await connection.ExecuteScalarAsync<decimal>("SELECT coalesce(sum(debit - credit), 0) FROM erp.gl_entry WHERE company = @company AND account = @account", new { company, account });
    }

    private static StringContent JsonContent(object body) =>
        new(JsonSerializer.Serialize(body, Integration.Testing.TestHost.Json), System.Text.Encoding.UTF8, "application/json");
}
