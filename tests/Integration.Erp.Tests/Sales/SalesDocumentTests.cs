using System.Net;
using System.Text.Json;
using Dapper;
using static Integration.Erp.Tests.ErpHost;

namespace Integration.Erp.Tests.Sales;

public sealed class SalesDocumentTests(ErpHost erp) : IClassFixture<ErpHost>
{
    [Fact]
    public async Task Invoice_with_two_vat_rates_a_discount_and_shipping_posts_balanced_gl_with_income_tax_and_cost()
    {
        var (company, customer) = await StockedCompanyAsync();

        var invoice = await InvoiceAsync(company, customer, "shopify-1001");

        Assert.Equal(774.39m, invoice.GetProperty("grandTotal").GetDecimal());
        Assert.Equal(74.39m, invoice.GetProperty("taxTotal").GetDecimal());
        var gl = await GlAsync(company, invoice.GetProperty("docNo").GetString()!);
        Assert.Equal(gl.Sum(g => g.Debit), gl.Sum(g => g.Credit));
        Assert.Equal((774.39m, 0m), Sum(gl, "1150"));
        Assert.Equal((0m, 656.25m), Sum(gl, "4100"));
        Assert.Equal((0m, 43.75m), Sum(gl, "4200"));
        Assert.Equal((0m, 74.39m), Sum(gl, "2120"));
        Assert.Equal((320m, 0m), Sum(gl, "5100"));
        Assert.Equal((0m, 320m), Sum(gl, "1160"));
        Assert.All(gl.Where(g => g.Account is "4100" or "4200" or "5100"), g => Assert.Equal("ONLINE", g.CostCenter));
        Assert.Equal("CUST-1", gl.Single(g => g.Account == "1150").Party);
        Assert.Equal(8m, (await BalanceAsync(company, "A")).GetProperty("actualQty").GetDecimal());
    }

    [Fact]
    public async Task A_partial_return_reverses_exactly_its_share_and_brings_stock_back_at_cost()
    {
        var (company, customer) = await StockedCompanyAsync();
        var invoice = await InvoiceAsync(company, customer, "shopify-2002");
        var id = invoice.GetProperty("id").GetInt64();

        var (status, first) = await erp.PostAsync("/api/erp/sales-returns", new { company, invoiceId = id, postingDate = On(5, 12), lines = new[] { new { sku = "A", qty = 1 } } });
        var (_, second) = await erp.PostAsync("/api/erp/sales-returns", new { company, invoiceId = id, postingDate = On(5, 13), lines = new[] { new { lineNo = 1, qty = 1 } } });

        Assert.Equal(HttpStatusCode.Created, status);
        var gl = await GlAsync(company, first.GetProperty("docNo").GetString()!);
        Assert.Equal((196.88m, 0m), Sum(gl, "4100"));
        Assert.Equal((27.57m, 0m), Sum(gl, "2120"));
        Assert.Equal((0m, 224.45m), Sum(gl, "1150"));
        Assert.Equal((100m, 0m), Sum(gl, "1160"));
        Assert.Equal((0m, 100m), Sum(gl, "5100"));
        var secondGl = await GlAsync(company, second.GetProperty("docNo").GetString()!);
        Assert.Equal((196.87m, 0m), Sum(secondGl, "4100"));
        Assert.Equal((27.56m, 0m), Sum(secondGl, "2120"));
        Assert.Equal(10m, (await BalanceAsync(company, "A")).GetProperty("actualQty").GetDecimal());

        var (again, problem) = await erp.PostAsync("/api/erp/sales-returns", new { company, invoiceId = id, postingDate = On(5, 14), lines = new[] { new { lineNo = 1, qty = 1 } } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, again);
        Assert.Equal("return-exceeds-sold", problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task An_order_discount_on_an_invoice_with_a_free_gift_last_can_be_given_back_in_full()
    {
        var (company, customer) = await StockedCompanyAsync();
        var (status, invoice) = await erp.PostAsync("/api/erp/sales-invoices", new
        {
            company, customer, postingDate = On(5, 10), warehouse = "MAIN-WH", costCenter = "ONLINE", taxesIncluded = true, discountAmount = 1m,
            lines = new object[] { new { sku = "A", qty = 1, rate = 10m }, new { sku = "A", qty = 1, rate = 10m }, new { sku = "A", qty = 1, rate = 10m }, new { sku = "B", qty = 1, rate = 0m } },
            source = new { system = "woocommerce", store = "shop", id = "gift-last" },
        });
        Assert.True(status == HttpStatusCode.Created, invoice.ToString());

        var (returned, credit) = await erp.PostAsync("/api/erp/sales-returns", new
        {
            company, invoiceId = invoice.GetProperty("id").GetInt64(), postingDate = On(5, 12), restock = true,
            lines = new object[] { new { lineNo = 1, qty = 1 }, new { lineNo = 2, qty = 1 }, new { lineNo = 3, qty = 1 }, new { lineNo = 4, qty = 1 } },
        });

        Assert.Equal(29m, invoice.GetProperty("grandTotal").GetDecimal());
        Assert.True(returned == HttpStatusCode.Created, credit.ToString());
        Assert.Equal(29m, credit.GetProperty("grandTotal").GetDecimal());
        var invoiceGl = await GlAsync(company, invoice.GetProperty("docNo").GetString()!);
        Assert.DoesNotContain(invoiceGl, g => g.Account == "4100" && g.Debit != 0);
        var gl = await GlAsync(company, credit.GetProperty("docNo").GetString()!);
        Assert.Equal(gl.Sum(g => g.Debit), gl.Sum(g => g.Credit));
        Assert.Equal((0m, 29m), Sum(gl, "1150"));
        Assert.Equal(10m, (await BalanceAsync(company, "B")).GetProperty("actualQty").GetDecimal());
    }

    [Fact]
    public async Task A_return_line_naming_no_invoice_line_is_refused_rather_than_matched_to_the_shipping()
    {
        var (company, customer) = await StockedCompanyAsync();
        var invoice = await InvoiceAsync(company, customer, "shopify-2099");

        var (status, problem) = await erp.PostAsync("/api/erp/sales-returns", new
        {
            company, invoiceId = invoice.GetProperty("id").GetInt64(), postingDate = On(5, 12), lines = new[] { new { qty = 1 } },
        });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invoice-line-required", problem.GetProperty("type").GetString());
        Assert.Equal(0m, await erp.ScalarAsync<decimal>("SELECT coalesce(sum(returned_qty), 0) FROM erp.sales_document_line WHERE document_id = @id",
            new { id = invoice.GetProperty("id").GetInt64() }));
    }

    [Fact]
    public async Task One_return_naming_a_line_twice_gives_back_no_more_than_was_sold()
    {
        var (company, customer) = await StockedCompanyAsync();
        var invoice = await InvoiceAsync(company, customer, "shopify-2004");
        var id = invoice.GetProperty("id").GetInt64();

        var (refused, problem) = await erp.PostAsync("/api/erp/sales-returns", new
        {
            company, invoiceId = id, postingDate = On(5, 12), lines = new[] { new { lineNo = 1, qty = 2 }, new { lineNo = 1, qty = 2 } },
        });
        var (accepted, both) = await erp.PostAsync("/api/erp/sales-returns", new
        {
            company, invoiceId = id, postingDate = On(5, 12), lines = new[] { new { lineNo = 1, qty = 1 }, new { lineNo = 1, qty = 1 } },
        });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused);
        Assert.Equal("return-exceeds-sold", problem.GetProperty("type").GetString());
        Assert.True(accepted == HttpStatusCode.Created, both.ToString());
        // Both halves of line 1 (2 x 250 less its discounts: 393.75 net, 55.13 VAT): the whole line, to the cent.
        var gl = await GlAsync(company, both.GetProperty("docNo").GetString()!);
        Assert.Equal((393.75m, 0m), Sum(gl, "4100"));
        Assert.Equal((200m, 0m), Sum(gl, "1160"));
        Assert.Equal(2m, await erp.ScalarAsync<decimal>("SELECT returned_qty FROM erp.sales_document_line WHERE document_id = @id AND line_no = 1", new { id }));
        Assert.Equal(10m, (await BalanceAsync(company, "A")).GetProperty("actualQty").GetDecimal());
    }

    [Fact]
    public async Task A_return_dated_before_its_invoice_takes_the_invoice_date()
    {
        var (company, customer) = await StockedCompanyAsync();
        var invoice = await InvoiceAsync(company, customer, "shopify-2006");

        var (status, credit) = await erp.PostAsync("/api/erp/sales-returns", new
        {
            company, invoiceId = invoice.GetProperty("id").GetInt64(), postingDate = On(5, 9), lines = new[] { new { sku = "A", qty = 1 } },
        });

        Assert.True(status == HttpStatusCode.Created, credit.ToString());
        Assert.Equal(On(5, 10), DateOnly.Parse(credit.GetProperty("postingDate").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(On(5, 10), await erp.ScalarAsync<DateOnly>("SELECT posting_date FROM erp.stock_ledger_entry WHERE voucher_no = @no", new { no = credit.GetProperty("docNo").GetString() }));
    }

    [Fact]
    public async Task A_return_after_a_back_dated_receipt_gives_back_what_the_sale_costs_now()
    {
        var company = await erp.NewCompanyAsync();
        await erp.PostAsync("/api/erp/items", new { company, sku = "C", name = "Scarf" });
        await erp.PostAsync("/api/erp/stock-entries", new { company, purpose = "Receipt", postingDate = On(5, 1), lines = new[] { new { sku = "C", qty = 1, rate = 100, warehouse = "MAIN-WH" } } });
        var (_, customer) = await erp.PostAsync("/api/erp/customers", new { company, id = "CUST-1", name = "Mona Hassan" });
        var (_, invoice) = await erp.PostAsync("/api/erp/sales-invoices", new
        {
            company, customer = customer.GetProperty("id").GetString(), postingDate = On(5, 10), warehouse = "MAIN-WH", costCenter = "ONLINE",
            lines = new[] { new { sku = "C", qty = 1, rate = 300m } }, source = new { system = "shopify", store = "s", id = "revalued" },
        });
        // Received on 5/5, posted after the sale: the sale's cost is re-valued from 100 to the average of 100 and 200.
        await erp.PostAsync("/api/erp/stock-entries", new { company, purpose = "Receipt", postingDate = On(5, 5), lines = new[] { new { sku = "C", qty = 1, rate = 200, warehouse = "MAIN-WH" } } });

        var (status, credit) = await erp.PostAsync("/api/erp/sales-returns", new { company, invoiceId = invoice.GetProperty("id").GetInt64(), postingDate = On(5, 12), lines = new[] { new { sku = "C", qty = 1 } } });

        Assert.True(status == HttpStatusCode.Created, credit.ToString());
        Assert.Equal((150m, 0m), Sum(await GlAsync(company, credit.GetProperty("docNo").GetString()!), "1160"));
        var balance = await BalanceAsync(company, "C");
        Assert.Equal(2m, balance.GetProperty("actualQty").GetDecimal());
        Assert.Equal(300m, balance.GetProperty("stockValue").GetDecimal());
    }

    [Theory]
    [InlineData(2, 3000)] // all of the sale back: its cost nets to nothing
    [InlineData(1, 2850)] // half of it back, at half of what the sale costs now; the second unit goes on costing 150
    public async Task A_return_posted_before_a_back_dated_receipt_gives_back_what_the_sale_costs_after_it(int returned, decimal stockValue)
    {
        var company = await erp.NewCompanyAsync();
        await erp.PostAsync("/api/erp/items", new { company, sku = "C", name = "Scarf" });
        await erp.PostAsync("/api/erp/stock-entries", new { company, purpose = "Receipt", postingDate = On(5, 1), lines = new[] { new { sku = "C", qty = 10, rate = 100, warehouse = "MAIN-WH" } } });
        var (_, customer) = await erp.PostAsync("/api/erp/customers", new { company, id = "CUST-1", name = "Mona Hassan" });
        var (_, invoice) = await erp.PostAsync("/api/erp/sales-invoices", new
        {
            company, customer = customer.GetProperty("id").GetString(), postingDate = On(5, 5), warehouse = "MAIN-WH", costCenter = "ONLINE",
            lines = new[] { new { sku = "C", qty = 2, rate = 300m } }, source = new { system = "shopify", store = "s", id = "returned-then-revalued" },
        });
        var (status, credit) = await erp.PostAsync("/api/erp/sales-returns", new { company, invoiceId = invoice.GetProperty("id").GetInt64(), postingDate = On(5, 6), lines = new[] { new { sku = "C", qty = returned } } });
        Assert.True(status == HttpStatusCode.Created, credit.ToString());

        // Received on 5/3, entered after the return: the sale's 2 units cost 150 each (3,000 for 20), not 100.
        var (received, body) = await erp.PostAsync("/api/erp/stock-entries", new { company, purpose = "Receipt", postingDate = On(5, 3), lines = new[] { new { sku = "C", qty = 10, rate = 200, warehouse = "MAIN-WH" } } });
        Assert.True(received == HttpStatusCode.Created, body.ToString());

        var balance = await BalanceAsync(company, "C");
        Assert.Equal(18m + returned, balance.GetProperty("actualQty").GetDecimal());
        Assert.Equal(stockValue, balance.GetProperty("stockValue").GetDecimal());
        await using var connection = await erp.OpenAsync();
        var stockAccount = await connection.ExecuteScalarAsync<decimal>("SELECT coalesce(sum(debit - credit), 0) FROM erp.gl_entry WHERE company = @company AND account = '1160'", new { company });
        var cogs = await connection.ExecuteScalarAsync<decimal>("SELECT coalesce(sum(debit - credit), 0) FROM erp.gl_entry WHERE company = @company AND account = '5100'", new { company });
        Assert.Equal(stockValue, stockAccount);
        Assert.Equal(150m * (2 - returned), cogs);
    }

    [Fact]
    public async Task A_return_into_another_warehouse_follows_its_sales_cost_after_a_back_dated_receipt()
    {
        var company = await erp.NewCompanyAsync();
        await AlexandriaShopAsync(company);
        await erp.PostAsync("/api/erp/items", new { company, sku = "C", name = "Scarf" });
        await erp.PostAsync("/api/erp/stock-entries", new { company, purpose = "Receipt", postingDate = On(5, 1), lines = new[] { new { sku = "C", qty = 10, rate = 100, warehouse = "MAIN-WH" } } });
        var (_, customer) = await erp.PostAsync("/api/erp/customers", new { company, id = "CUST-1", name = "Mona Hassan" });
        var (_, invoice) = await erp.PostAsync("/api/erp/sales-invoices", new
        {
            company, customer = customer.GetProperty("id").GetString(), postingDate = On(5, 5), warehouse = "MAIN-WH", costCenter = "ONLINE",
            lines = new[] { new { sku = "C", qty = 2, rate = 300m } }, source = new { system = "shopify", store = "s", id = "returned-elsewhere-then-revalued" },
        });
        var (status, credit) = await erp.PostAsync("/api/erp/sales-returns", new
        {
            company, invoiceId = invoice.GetProperty("id").GetInt64(), postingDate = On(5, 6), lines = new[] { new { sku = "C", qty = 2, warehouse = "ALEX-WH" } },
        });
        Assert.True(status == HttpStatusCode.Created, credit.ToString());

        // Received in MAIN-WH on 5/3, entered after the return: the sale's 2 units cost 150 each, and so do the 2 in Alexandria.
        var (received, body) = await erp.PostAsync("/api/erp/stock-entries", new { company, purpose = "Receipt", postingDate = On(5, 3), lines = new[] { new { sku = "C", qty = 10, rate = 200, warehouse = "MAIN-WH" } } });
        Assert.True(received == HttpStatusCode.Created, body.ToString());

        var alexandria = Assert.Single((await erp.GetJsonAsync($"/api/erp/stock-balances?company={company}&sku=C&warehouse=ALEX-WH")).EnumerateArray());
        Assert.Equal(300m, alexandria.GetProperty("stockValue").GetDecimal());
        Assert.Equal(2700m, (await BalanceAsync(company, "C")).GetProperty("stockValue").GetDecimal());
        await using var connection = await erp.OpenAsync();
        decimal Balance(string account) => connection.ExecuteScalar<decimal>(
            "SELECT coalesce(sum(debit - credit), 0) FROM erp.gl_entry WHERE company = @company AND account = @account", new { company, account });
        Assert.Equal(2700m, Balance("1160"));
        Assert.Equal(300m, Balance("1161"));
        Assert.Equal(0m, Balance("5100")); // all of the sale came back: its cost nets to nothing
    }

    [Fact]
    public async Task A_return_credits_the_cost_account_its_sale_debited_after_the_item_moved_to_another_group()
    {
        var company = await erp.NewCompanyAsync();
        await erp.PostAsync("/api/erp/accounts", new { company, id = "5110", name = "Cost of Leather Goods Sold", parent = "5000", rootType = "Expense", accountType = "Cost of Goods Sold" });
        await erp.PostAsync("/api/erp/item-groups", new { company, id = "LEATHER", name = "Leather", parent = "PRODUCTS", cogsAccount = "5110" });
        await erp.PostAsync("/api/erp/items", new { company, sku = "BAG", name = "Bag" });
        await erp.PostAsync("/api/erp/stock-entries", new { company, purpose = "Receipt", postingDate = On(5, 1), lines = new[] { new { sku = "BAG", qty = 2, rate = 100, warehouse = "MAIN-WH" } } });
        var (_, customer) = await erp.PostAsync("/api/erp/customers", new { company, id = "CUST-1", name = "Mona Hassan" });
        var (_, invoice) = await erp.PostAsync("/api/erp/sales-invoices", new
        {
            company, customer = customer.GetProperty("id").GetString(), postingDate = On(5, 10), warehouse = "MAIN-WH", costCenter = "ONLINE",
            lines = new[] { new { sku = "BAG", qty = 1, rate = 300m } }, source = new { system = "shopify", store = "s", id = "regrouped" },
        });
        Assert.Equal((100m, 0m), Sum(await GlAsync(company, invoice.GetProperty("docNo").GetString()!), "5100"));
        var (moved, _) = await erp.PatchAsync($"/api/erp/items/BAG?company={company}", new { itemGroup = "LEATHER" });
        Assert.Equal(HttpStatusCode.OK, moved);

        var (status, credit) = await erp.PostAsync("/api/erp/sales-returns", new { company, invoiceId = invoice.GetProperty("id").GetInt64(), postingDate = On(5, 12), lines = new[] { new { sku = "BAG", qty = 1 } } });

        Assert.True(status == HttpStatusCode.Created, credit.ToString());
        var gl = await GlAsync(company, credit.GetProperty("docNo").GetString()!);
        Assert.Equal((0m, 100m), Sum(gl, "5100"));
        Assert.Equal((0m, 0m), Sum(gl, "5110"));
        Assert.Equal((100m, 0m), Sum(gl, "1160"));
    }

    [Fact]
    public async Task Only_the_lines_a_return_puts_back_come_back_to_stock()
    {
        var (company, customer) = await StockedCompanyAsync();
        var invoice = await InvoiceAsync(company, customer, "shopify-2005");

        var (status, credit) = await erp.PostAsync("/api/erp/sales-returns", new
        {
            company, invoiceId = invoice.GetProperty("id").GetInt64(), postingDate = On(5, 12),
            lines = new object[] { new { sku = "A", qty = 1, restock = true }, new { sku = "B", qty = 1, restock = false } },
        });

        Assert.True(status == HttpStatusCode.Created, credit.ToString());
        Assert.Equal(9m, (await BalanceAsync(company, "A")).GetProperty("actualQty").GetDecimal());
        Assert.Equal(7m, (await BalanceAsync(company, "B")).GetProperty("actualQty").GetDecimal());
        // The bag's cost comes back to stock; the broken wallet's stays in the cost of goods sold.
        var gl = await GlAsync(company, credit.GetProperty("docNo").GetString()!);
        Assert.Equal((100m, 0m), Sum(gl, "1160"));
        Assert.Equal((0m, 100m), Sum(gl, "5100"));
    }

    [Fact]
    public async Task A_line_returned_to_another_warehouse_comes_back_there_at_its_cost()
    {
        var (company, customer) = await StockedCompanyAsync();
        await AlexandriaShopAsync(company);
        var invoice = await InvoiceAsync(company, customer, "shopify-2006");

        // The bag sold from MAIN-WH is brought back to the Alexandria shop.
        var (status, credit) = await erp.PostAsync("/api/erp/sales-returns", new
        {
            company, invoiceId = invoice.GetProperty("id").GetInt64(), postingDate = On(5, 12),
            lines = new object[] { new { sku = "A", qty = 1, warehouse = "ALEX-WH" } },
        });

        Assert.True(status == HttpStatusCode.Created, credit.ToString());
        Assert.Equal("ALEX-WH", credit.GetProperty("lines")[0].GetProperty("warehouse").GetString());
        Assert.Equal(8m, (await BalanceAsync(company, "A")).GetProperty("actualQty").GetDecimal());
        var alexandria = await erp.GetJsonAsync($"/api/erp/stock-balances?company={company}&sku=A&warehouse=ALEX-WH");
        Assert.Equal(1m, alexandria[0].GetProperty("actualQty").GetDecimal());
        Assert.Equal(100m, alexandria[0].GetProperty("stockValue").GetDecimal());
        var gl = await GlAsync(company, credit.GetProperty("docNo").GetString()!);
        Assert.Equal((100m, 0m), Sum(gl, "1161"));
        Assert.Equal((0m, 100m), Sum(gl, "5100"));
    }

    [Fact]
    public async Task Amounts_credited_without_goods_never_exceed_what_is_left_on_the_invoice()
    {
        var (company, customer) = await StockedCompanyAsync();
        var invoice = await InvoiceAsync(company, customer, "shopify-2003");
        var id = invoice.GetProperty("id").GetInt64();
        var grandTotal = invoice.GetProperty("grandTotal").GetDecimal();
        var (_, goods) = await erp.PostAsync("/api/erp/sales-returns", new { company, invoiceId = id, postingDate = On(5, 12), lines = new[] { new { sku = "A", qty = 1 } } });
        var left = grandTotal - goods.GetProperty("grandTotal").GetDecimal();

        var (refused, problem) = await erp.PostAsync("/api/erp/sales-returns", new
        {
            company, invoiceId = id, postingDate = On(5, 13), lines = Array.Empty<object>(), source = new { system = "shopify", store = "s", id = "r-over" },
            amounts = new[] { new { amount = left + 0.01m, incomeAccount = "4100", amountIncludesTax = true } },
        });
        var (accepted, rest) = await erp.PostAsync("/api/erp/sales-returns", new
        {
            company, invoiceId = id, postingDate = On(5, 13), lines = Array.Empty<object>(), source = new { system = "shopify", store = "s", id = "r-rest" },
            amounts = new[] { new { amount = left, incomeAccount = "4100", amountIncludesTax = true } },
        });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused);
        Assert.Equal("return-exceeds-invoice", problem.GetProperty("type").GetString());
        Assert.Contains("credited already", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await erp.CountAsync("SELECT count(*) FROM erp.sales_document WHERE company = @company AND source_id = 'r-over'", new { company }));
        Assert.Equal(HttpStatusCode.Created, accepted);
        Assert.Equal(left, rest.GetProperty("grandTotal").GetDecimal());
    }

    [Fact]
    public async Task The_same_source_invoice_created_three_times_at_once_is_one_invoice()
    {
        var (company, customer) = await StockedCompanyAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => erp.PostAsync("/api/erp/sales-invoices", InvoiceRequest(company, customer, "shopify-3003"))));

        Assert.Single(results.Select(r => r.Body.GetProperty("id").GetInt64()).Distinct());
        Assert.Equal(1, results.Count(r => r.Status == HttpStatusCode.Created));
        Assert.Equal(1, await erp.CountAsync("SELECT count(*) FROM erp.sales_document WHERE company = @company AND doc_type = 'Sales Invoice'", new { company }));
        Assert.Equal(8m, (await BalanceAsync(company, "A")).GetProperty("actualQty").GetDecimal());
    }

    [Fact]
    public async Task A_sales_order_reserves_stock_and_cancelling_it_releases_the_reservation()
    {
        var (company, customer) = await StockedCompanyAsync();
        var order = new { company, customer, postingDate = On(5, 1), warehouse = "MAIN-WH", lines = new[] { new { sku = "A", qty = 4, rate = 250 } }, source = new { system = "shopify", store = "s", id = "o-1" } };

        var (created, body) = await erp.PostAsync("/api/erp/sales-orders", order);
        var (again, sameOrder) = await erp.PostAsync("/api/erp/sales-orders", order);
        var reserved = await BalanceAsync(company, "A");
        var (cancelled, _) = await erp.PostAsync($"/api/erp/sales-orders/{body.GetProperty("id").GetInt64()}/cancel", new { company });
        var released = await BalanceAsync(company, "A");

        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal(body.GetProperty("id").GetInt64(), sameOrder.GetProperty("id").GetInt64());
        Assert.Equal(4m, reserved.GetProperty("reservedQty").GetDecimal());
        Assert.Equal(6m, reserved.GetProperty("projectedQty").GetDecimal());
        Assert.Equal(HttpStatusCode.OK, cancelled);
        Assert.Equal(0m, released.GetProperty("reservedQty").GetDecimal());
    }

    [Fact]
    public async Task A_store_order_invoiced_already_gets_no_sales_order_and_reserves_nothing()
    {
        var (company, customer) = await StockedCompanyAsync();
        var (_, invoice) = await erp.PostAsync("/api/erp/sales-invoices", StoreOrder(company, customer, "o-invoiced"));

        // A run that read the store order while it was pending comes after the paid one (an incident retried late).
        var (status, problem) = await erp.PostAsync("/api/erp/sales-orders", StoreOrder(company, customer, "o-invoiced"));

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("invoiced", problem.GetProperty("type").GetString());
        Assert.Contains(invoice.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await erp.CountAsync("SELECT count(*) FROM erp.sales_document WHERE company = @company AND doc_type = 'Sales Order'", new { company }));
        Assert.Equal(0m, (await BalanceAsync(company, "A")).GetProperty("reservedQty").GetDecimal());
    }

    [Fact]
    public async Task A_store_orders_invoice_completes_its_open_sales_order_though_the_caller_did_not_name_it()
    {
        var (company, customer) = await StockedCompanyAsync();
        var (created, order) = await erp.PostAsync("/api/erp/sales-orders", StoreOrder(company, customer, "o-open"));
        Assert.Equal(4m, (await BalanceAsync(company, "A")).GetProperty("reservedQty").GetDecimal());

        // The paid run looked for the order before the pending run had made it.
        var (status, invoice) = await erp.PostAsync("/api/erp/sales-invoices", StoreOrder(company, customer, "o-open"));

        Assert.Equal(HttpStatusCode.Created, created);
        Assert.True(status == HttpStatusCode.Created, invoice.ToString());
        Assert.Equal("Completed", (await erp.GetJsonAsync($"/api/erp/sales-documents/{order.GetProperty("id").GetInt64()}")).GetProperty("status").GetString());
        var balance = await BalanceAsync(company, "A");
        Assert.Equal(0m, balance.GetProperty("reservedQty").GetDecimal());
        Assert.Equal(6m, balance.GetProperty("actualQty").GetDecimal());
    }

    [Fact]
    public async Task Store_orders_made_and_invoiced_at_once_leave_no_stock_reserved()
    {
        var (company, customer) = await StockedCompanyAsync();
        var ids = Enumerable.Range(1, 8).Select(i => $"o-race-{i}").ToArray();

        // Each store order's pending run and paid run at the same time, each with one unit of A.
        var answers = await Task.WhenAll(ids.SelectMany(id => new[]
        {
            erp.PostAsync("/api/erp/sales-orders", StoreOrder(company, customer, id, qty: 1)),
            erp.PostAsync("/api/erp/sales-invoices", StoreOrder(company, customer, id, qty: 1)),
        }));

        Assert.All(answers, a => Assert.True(a.Status is HttpStatusCode.Created or HttpStatusCode.Conflict, a.Body.ToString()));
        Assert.Equal(8, await erp.CountAsync("SELECT count(*) FROM erp.sales_document WHERE company = @company AND doc_type = 'Sales Invoice'", new { company }));
        Assert.Equal(0, await erp.CountAsync("SELECT count(*) FROM erp.sales_document WHERE company = @company AND doc_type = 'Sales Order' AND status <> 'Completed'", new { company }));
        var balance = await BalanceAsync(company, "A");
        Assert.Equal(0m, balance.GetProperty("reservedQty").GetDecimal());
        Assert.Equal(2m, balance.GetProperty("actualQty").GetDecimal());
    }

    [Fact]
    public async Task An_invoice_that_completes_an_order_with_other_lines_takes_every_bin_it_touches_before_it_holds_any()
    {
        var (company, customer) = await StockedCompanyAsync();
        var (_, order) = await erp.PostAsync("/api/erp/sales-orders", new { company, customer, postingDate = On(5, 1), warehouse = "MAIN-WH", lines = new[] { new { sku = "B", qty = 1, rate = 100 } } });

        // Another sale holds bin A and will want B next (its order reserved A; it sells B).
        await using var other = await erp.OpenAsync();
        await using var otherSale = await other.BeginTransactionAsync();
        await other.ExecuteAsync("SELECT 1 FROM erp.bin WHERE company = @company AND sku = 'A' FOR UPDATE", new { company }, otherSale);
        var invoicing = erp.PostAsync("/api/erp/sales-invoices", new
        {
            company, customer, postingDate = On(5, 2), warehouse = "MAIN-WH", salesOrderId = order.GetProperty("id").GetInt64(),
            lines = new[] { new { sku = "A", qty = 1, rate = 250 } },
        });
        await using (var watch = await erp.OpenAsync())
        {
            for (var i = 0; i < 200 && await watch.ExecuteScalarAsync<long>("SELECT count(*) FROM pg_locks WHERE NOT granted AND locktype = 'transactionid'") == 0; i++)
            {
                await Task.Delay(50);
            }
        }

        // Released B first and then waited for A, the invoice would hold B: the other sale could not take it, and the two
        // would deadlock. Taken in order, the invoice waits for A holding nothing the other sale wants.
        var freeB = await Record.ExceptionAsync(() => other.ExecuteAsync("SELECT 1 FROM erp.bin WHERE company = @company AND sku = 'B' FOR UPDATE NOWAIT", new { company }, otherSale));
        await otherSale.RollbackAsync();
        var (status, invoice) = await invoicing;

        Assert.Null(freeB);
        Assert.True(status == HttpStatusCode.Created, invoice.ToString());
        Assert.Equal(0m, (await BalanceAsync(company, "B")).GetProperty("reservedQty").GetDecimal());
        Assert.Equal(10m, (await BalanceAsync(company, "B")).GetProperty("actualQty").GetDecimal());
        Assert.Equal(9m, (await BalanceAsync(company, "A")).GetProperty("actualQty").GetDecimal());
    }

    private static object StoreOrder(string company, string customer, string sourceId, int qty = 4) => new
    {
        company, customer, postingDate = On(5, 1), warehouse = "MAIN-WH", lines = new[] { new { sku = "A", qty, rate = 250 } },
        source = new { system = "shopify", store = "s", id = sourceId },
    };

    [Fact]
    public async Task An_order_over_the_customers_credit_limit_is_refused()
    {
        var (company, _) = await StockedCompanyAsync();
        await erp.PostAsync("/api/erp/customers", new { company, id = "CUST-B2B", name = "Cairo Trading", customerType = "Business", creditLimit = 1000 });

        var (status, problem) = await erp.PostAsync("/api/erp/sales-orders", new { company, customer = "CUST-B2B", postingDate = On(5, 1), warehouse = "MAIN-WH", lines = new[] { new { sku = "A", qty = 4, rate = 250 } } });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("credit-limit-exceeded", problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_paid_web_order_becomes_a_paid_invoice_and_the_gateway_holds_the_money()
    {
        var (company, customer) = await StockedCompanyAsync();
        var request = new
        {
            company, customer, postingDate = On(5, 2), warehouse = "MAIN-WH", taxesIncluded = true,
            lines = new[] { new { sku = "B", qty = 1, rate = 114m } },
            payment = new { account = "1130", amount = 114m, reference = "gateway-tx-1" },
            source = new { system = "shopify", store = "s", id = "paid-1" },
        };

        var (status, invoice) = await erp.PostAsync("/api/erp/sales-invoices", request);

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(100m, invoice.GetProperty("netTotal").GetDecimal());
        Assert.Equal(14m, invoice.GetProperty("taxTotal").GetDecimal());
        Assert.Equal(0m, invoice.GetProperty("outstanding").GetDecimal());
        Assert.Equal("Paid", invoice.GetProperty("status").GetString());
        await using var connection = await erp.OpenAsync();
        Assert.Equal(114m, await connection.ExecuteScalarAsync<decimal>("SELECT sum(debit - credit) FROM erp.gl_entry WHERE company = @company AND account = '1130'", new { company }));
        Assert.Equal(0m, await connection.ExecuteScalarAsync<decimal>("SELECT sum(debit - credit) FROM erp.gl_entry WHERE company = @company AND account = '1150'", new { company }));
    }

    [Fact]
    public async Task An_item_on_hold_cannot_be_sold()
    {
        var (company, customer) = await StockedCompanyAsync();
        await erp.PostAsync($"/api/erp/items/B/status?company={company}", new { status = "On hold" });

        var (status, problem) = await erp.PostAsync("/api/erp/sales-invoices", new { company, customer, postingDate = On(5, 2), warehouse = "MAIN-WH", lines = new[] { new { sku = "B", qty = 1, rate = 100 } } });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("item-on-hold", problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_template_of_variants_cannot_be_sold_or_ordered_only_its_variants()
    {
        var (company, customer) = await StockedCompanyAsync();
        await erp.PostAsync("/api/erp/items", new { company, sku = "TEE", name = "T-shirt", isTemplate = true, attributes = new { size = new[] { "S", "M" } } });
        await erp.PostAsync("/api/erp/items", new { company, sku = "TEE-M", name = "T-shirt M", templateSku = "TEE", attributes = new { size = "M" } });
        await erp.PostAsync("/api/erp/stock-entries", new { company, purpose = "Receipt", postingDate = On(5, 1), lines = new[] { new { sku = "TEE-M", qty = 5, rate = 40, warehouse = "MAIN-WH" } } });

        var (invoiced, problem) = await erp.PostAsync("/api/erp/sales-invoices", new { company, customer, postingDate = On(5, 2), warehouse = "MAIN-WH", lines = new[] { new { sku = "TEE", qty = 1, rate = 100 } } });
        var (ordered, orderProblem) = await erp.PostAsync("/api/erp/sales-orders", new { company, customer, postingDate = On(5, 2), warehouse = "MAIN-WH", lines = new[] { new { sku = "TEE", qty = 1, rate = 100 } } });
        var (variant, _) = await erp.PostAsync("/api/erp/sales-invoices", new { company, customer, postingDate = On(5, 2), warehouse = "MAIN-WH", lines = new[] { new { sku = "TEE-M", qty = 1, rate = 100 } } });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, invoiced);
        Assert.Equal("template-item", problem.GetProperty("type").GetString());
        Assert.Contains("'TEE'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, ordered);
        Assert.Equal("template-item", orderProblem.GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.Created, variant);
    }

    [Fact]
    public async Task A_delivery_with_tracking_reaches_the_outbox_for_the_store()
    {
        var (company, customer) = await StockedCompanyAsync();
        var invoice = await InvoiceAsync(company, customer, "shopify-4004");

        var (status, delivery) = await erp.PostAsync("/api/erp/deliveries", new { company, documentId = invoice.GetProperty("id").GetInt64(), postingDate = On(5, 3), carrier = "Bosta", trackingNo = "BST-778899" });

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("BST-778899", delivery.GetProperty("trackingNo").GetString());
        Assert.Equal(1, await erp.CountAsync(
            "SELECT count(*) FROM integration.outbox WHERE company = @company AND topic = 'erp.delivery.created' AND payload->>'trackingNo' = 'BST-778899' AND payload->'source'->>'id' = 'shopify-4004'", new { company }));
    }

    [Fact]
    public async Task A_delivery_names_the_stores_order_also_for_an_added_units_invoice_and_is_refused_on_a_cancelled_order()
    {
        var (company, customer) = await StockedCompanyAsync();
        var added = await InvoiceAsync(company, customer, "shopify-4005:added:1");

        var (status, _) = await erp.PostAsync("/api/erp/deliveries", new { company, documentId = added.GetProperty("id").GetInt64(), postingDate = On(5, 3), carrier = "Bosta", trackingNo = "BST-4005" });

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("shopify-4005", await erp.ScalarAsync<string>(
            "SELECT payload->'source'->>'id' FROM integration.outbox WHERE company = @company AND topic = 'erp.delivery.created' AND payload->>'trackingNo' = 'BST-4005'", new { company }));

        var (_, order) = await erp.PostAsync("/api/erp/sales-orders", new
        {
            company, customer, postingDate = On(5, 3), warehouse = "MAIN-WH", lines = new[] { new { sku = "A", qty = 1, rate = 250m } }, source = new { system = "shopify", store = "s", id = "4006" },
        });
        Assert.True(order.TryGetProperty("id", out _), order.ToString());
        await erp.PostAsync($"/api/erp/sales-orders/{order.GetProperty("id").GetInt64()}/cancel", new { company });
        var (refused, problem) = await erp.PostAsync("/api/erp/deliveries", new { company, documentId = order.GetProperty("id").GetInt64(), postingDate = On(5, 4), carrier = "Bosta", trackingNo = "BST-4006" });

        Assert.Equal(HttpStatusCode.Conflict, refused);
        Assert.Equal("not-deliverable", problem.GetProperty("type").GetString());
        Assert.Equal(0, await erp.CountAsync("SELECT count(*) FROM integration.outbox WHERE company = @company AND payload->>'trackingNo' = 'BST-4006'", new { company }));
    }

    [Fact]
    public async Task Sales_post_to_the_companys_receivable_and_output_vat_accounts_whatever_accounts_of_those_types_are_added_later()
    {
        var (company, customer) = await StockedCompanyAsync();
        // An accountant adds a withholding tax payable and a second receivable, both numbered before the defaults.
        Assert.Equal(HttpStatusCode.Created, (await erp.PostAsync("/api/erp/accounts", new { company, id = "2115", name = "Withholding tax payable", parent = "2100", rootType = "Liability", accountType = "Tax" })).Status);
        Assert.Equal(HttpStatusCode.Created, (await erp.PostAsync("/api/erp/accounts", new { company, id = "1145", name = "Receivable - marketplace", parent = "1100", rootType = "Asset", accountType = "Receivable" })).Status);

        var invoice = await InvoiceAsync(company, customer, "shopify-4007");
        var gl = await GlAsync(company, invoice.GetProperty("docNo").GetString()!);

        Assert.Equal(invoice.GetProperty("grandTotal").GetDecimal(), Sum(gl, "1150").Item1);
        Assert.Equal(invoice.GetProperty("taxTotal").GetDecimal(), Sum(gl, "2120").Item2);
        Assert.DoesNotContain(gl, g => g.Account is "2115" or "1145");

        // Named by the company, they move only when it says so; an account of another role is refused.
        var (wrong, problem) = await erp.PatchAsync($"/api/erp/companies/{company}", new { outputTaxAccount = "5900" });
        var (inputVat, _) = await erp.PatchAsync($"/api/erp/companies/{company}", new { outputTaxAccount = "1170" }); // a tax account, but an asset
        var (disabled, inUse) = await erp.PatchAsync($"/api/erp/accounts/{company}/2120", new { disabled = true });
        Assert.Equal(HttpStatusCode.BadRequest, inputVat);
        Assert.Equal(HttpStatusCode.Conflict, disabled);
        Assert.Equal("account-in-use", inUse.GetProperty("type").GetString());
        var (moved, settings) = await erp.PatchAsync($"/api/erp/companies/{company}", new { receivableAccount = "1145" });
        var later = await InvoiceAsync(company, customer, "shopify-4008");

        Assert.Equal(HttpStatusCode.BadRequest, wrong);
        Assert.Equal("invalid-account", problem.GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.OK, moved);
        Assert.Equal("2120", settings.GetProperty("outputTaxAccount").GetString());
        Assert.Equal(later.GetProperty("grandTotal").GetDecimal(), Sum(await GlAsync(company, later.GetProperty("docNo").GetString()!), "1145").Item1);
    }

    private async Task<(string Company, string Customer)> StockedCompanyAsync()
    {
        var company = await erp.NewCompanyAsync();
        await erp.PostAsync("/api/erp/items", new { company, sku = "A", name = "Leather bag" });
        await erp.PostAsync("/api/erp/items", new { company, sku = "B", name = "Wallet", valuationMethod = "FIFO" });
        await erp.PostAsync("/api/erp/stock-entries", new { company, purpose = "Receipt", postingDate = On(5, 1), lines = new object[] { new { sku = "A", qty = 10, rate = 100, warehouse = "MAIN-WH" }, new { sku = "B", qty = 10, rate = 40, warehouse = "MAIN-WH" } } });
        var (_, customer) = await erp.PostAsync("/api/erp/customers", new { company, id = "CUST-1", name = "Mona Hassan", email = "mona@example.com", phone = "+201001234567" });
        return (company, customer.GetProperty("id").GetString()!);
    }

    [Fact]
    public async Task Each_line_takes_its_accounts_from_the_nearest_item_group_up_the_tree_that_sets_them()
    {
        var (company, customer) = await StockedCompanyAsync();
        // GIFTS sets its own income account; CARDS, below it, sets nothing; ALL, at the top, sets them all.
        await erp.PostAsync("/api/erp/item-groups", new { company, id = "GIFTS", name = "Gifts", parent = "PRODUCTS", incomeAccount = "4200" });
        await erp.PostAsync("/api/erp/item-groups", new { company, id = "CARDS", name = "Cards", parent = "GIFTS" });
        var (created, _) = await erp.PostAsync("/api/erp/items", new { company, sku = "C", name = "Greeting card", itemGroup = "CARDS" });
        var (onGroup, problem) = await erp.PostAsync("/api/erp/items", new { company, sku = "D", name = "Misfiled", itemGroup = "ALL" });
        await erp.PostAsync("/api/erp/stock-entries", new { company, purpose = "Receipt", postingDate = On(5, 1), lines = new object[] { new { sku = "C", qty = 5, rate = 10, warehouse = "MAIN-WH" } } });

        var (status, invoice) = await erp.PostAsync("/api/erp/sales-invoices", new
        {
            company, customer, postingDate = On(5, 10), warehouse = "MAIN-WH", costCenter = "ONLINE",
            lines = new object[] { new { sku = "A", qty = 1, rate = 250m }, new { sku = "C", qty = 2, rate = 30m } },
            source = new { system = "shopify", store = "retail-eg.myshopify.com", id = "shopify-groups" },
        });

        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal(HttpStatusCode.BadRequest, onGroup);
        Assert.Equal("group-item-group", problem.GetProperty("type").GetString());
        Assert.True(status == HttpStatusCode.Created, invoice.ToString());
        var gl = await GlAsync(company, invoice.GetProperty("docNo").GetString()!);
        Assert.Equal((0m, 250m), Sum(gl, "4100"));
        Assert.Equal((0m, 60m), Sum(gl, "4200"));
        Assert.Equal((120m, 0m), Sum(gl, "5100"));
        Assert.Equal((0m, 120m), Sum(gl, "1160"));
    }

    [Fact]
    public async Task The_same_source_payment_made_five_times_at_once_pays_once_and_each_caller_gets_that_payment()
    {
        var (company, customer) = await StockedCompanyAsync();
        var invoice = await InvoiceAsync(company, customer, "shopify-3004");
        var grandTotal = invoice.GetProperty("grandTotal").GetDecimal();
        var payment = new
        {
            company, invoiceId = invoice.GetProperty("id").GetInt64(), postingDate = On(5, 11), account = "1130", amount = grandTotal,
            source = new { system = "shopify", store = "retail-eg.myshopify.com", id = "shopify-3004" },
        };

        // Redeliveries of one order paying at once: all but one find the invoice paid when they get its lock.
        var results = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => erp.PostAsync("/api/erp/payments", payment)));

        Assert.All(results, r => Assert.True(r.Status is HttpStatusCode.Created or HttpStatusCode.OK, $"{(int)r.Status}: {r.Body}"));
        Assert.Single(results.Select(r => r.Body.GetProperty("id").GetInt64()).Distinct());
        Assert.Equal(1, await erp.CountAsync("SELECT count(*) FROM erp.sales_document WHERE company = @company AND doc_type = 'Payment'", new { company }));
        Assert.Equal(0m, (await erp.GetJsonAsync($"/api/erp/sales-documents/{invoice.GetProperty("id").GetInt64()}")).GetProperty("outstanding").GetDecimal());
    }

    [Fact]
    public async Task The_same_source_return_of_the_last_units_made_five_times_at_once_credits_once_and_each_caller_gets_that_note()
    {
        var (company, customer) = await StockedCompanyAsync();
        var invoice = await InvoiceAsync(company, customer, "shopify-3005");
        var refund = new
        {
            company, invoiceId = invoice.GetProperty("id").GetInt64(), postingDate = On(5, 12), restock = true,
            lines = new[] { new { sku = "A", qty = 2 } },
            source = new { system = "shopify", store = "retail-eg.myshopify.com", id = "refund-3005" },
        };

        // One refund delivered several times at once: all but one find every unit back when they get the invoice's lock.
        var results = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => erp.PostAsync("/api/erp/sales-returns", refund)));

        Assert.All(results, r => Assert.True(r.Status is HttpStatusCode.Created or HttpStatusCode.OK, $"{(int)r.Status}: {r.Body}"));
        Assert.Single(results.Select(r => r.Body.GetProperty("id").GetInt64()).Distinct());
        Assert.Equal(1, await erp.CountAsync("SELECT count(*) FROM erp.sales_document WHERE company = @company AND doc_type = 'Sales Return'", new { company }));
    }

    private static object InvoiceRequest(string company, string customer, string sourceId) => new
    {
        company, customer, postingDate = On(5, 10), warehouse = "MAIN-WH", costCenter = "ONLINE", discountAmount = 100m,
        lines = new object[]
        {
            new { sku = "A", qty = 2, rate = 250m, discountAmount = 50m },
            new { sku = "B", qty = 3, rate = 100m, taxRate = 5m },
            new { qty = 1, rate = 50m, incomeAccount = "4200", description = "Shipping" },
        },
        source = new { system = "shopify", store = "retail-eg.myshopify.com", id = sourceId },
    };

    private async Task<JsonElement> InvoiceAsync(string company, string customer, string sourceId)
    {
        var (status, body) = await erp.PostAsync("/api/erp/sales-invoices", InvoiceRequest(company, customer, sourceId));
        Assert.True(status == HttpStatusCode.Created, body.ToString());
        return body;
    }

    private async Task<List<(string Account, decimal Debit, decimal Credit, string? CostCenter, string? Party)>> GlAsync(string company, string voucherNo)
    {
        await using var connection = await erp.OpenAsync();
        return [.. await connection.QueryAsync<(string, decimal, decimal, string?, string?)>(
            "SELECT account, debit, credit, cost_center, party FROM erp.gl_entry WHERE company = @company AND voucher_no = @voucherNo", new { company, voucherNo })];
    }

    private static (decimal, decimal) Sum(List<(string Account, decimal Debit, decimal Credit, string? CostCenter, string? Party)> gl, string account) =>
        (gl.Where(g => g.Account == account).Sum(g => g.Debit), gl.Where(g => g.Account == account).Sum(g => g.Credit));

    // A second warehouse with a stock account of its own, for returns brought back to another shop.
    private async Task AlexandriaShopAsync(string company)
    {
        await erp.PostAsync("/api/erp/accounts", new { company, id = "1161", name = "Inventory - Alexandria", parent = "1100", rootType = "Asset", accountType = "Stock" });
        await erp.PostAsync("/api/erp/warehouses", new { company, id = "ALEX-WH", name = "Alexandria shop", parent = "ALL-WH", stockAccount = "1161" });
    }

    private async Task<JsonElement> BalanceAsync(string company, string sku) =>
        Assert.Single((await erp.GetJsonAsync($"/api/erp/stock-balances?company={company}&sku={sku}&warehouse=MAIN-WH")).EnumerateArray());
}
