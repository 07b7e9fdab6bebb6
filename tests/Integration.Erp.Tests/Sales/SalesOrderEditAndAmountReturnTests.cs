using System.Net;
using System.Text.Json;
using Dapper;
using static Integration.Erp.Tests.ErpHost;

namespace Integration.Erp.Tests.Sales;

/// <summary>Editing an open sales order (lines, totals, reservations, once per version), credit notes for amounts without goods, and a refund's money recorded later.</summary>
public sealed class SalesOrderEditAndAmountReturnTests(ErpHost erp) : IClassFixture<ErpHost>
{
    [Fact]
    public async Task An_open_order_follows_an_edit_once_per_version_and_its_reservations_follow_the_lines()
    {
        var (company, customer) = await StockedCompanyAsync();
        var (status, order) = await erp.PostAsync("/api/erp/sales-orders", Order(company, customer, "2026-11-24T10:00:00Z", ("A", 2), ("B", 3)));
        Assert.Equal(HttpStatusCode.Created, status);
        var id = order.GetProperty("id").GetInt64();
        Assert.Equal(2m, await ReservedAsync(company, "A"));
        Assert.Equal(3m, await ReservedAsync(company, "B"));

        var (editStatus, edit) = await erp.PutAsync($"/api/erp/sales-orders/{id}", Order(company, customer, "2026-11-24T11:00:00Z", ("A", 1)));
        Assert.True(editStatus == HttpStatusCode.OK, edit.ToString());
        Assert.True(edit.GetProperty("updated").GetBoolean());
        var edited = edit.GetProperty("document");
        Assert.Equal(1, edited.GetProperty("lines").GetArrayLength());
        Assert.Equal(285m, edited.GetProperty("grandTotal").GetDecimal());
        Assert.Equal(1m, await ReservedAsync(company, "A"));
        Assert.Equal(0m, await ReservedAsync(company, "B"));

        // The same version again, and an older one delivered late, change nothing.
        var (_, same) = await erp.PutAsync($"/api/erp/sales-orders/{id}", Order(company, customer, "2026-11-24T11:00:00Z", ("A", 1)));
        var (_, older) = await erp.PutAsync($"/api/erp/sales-orders/{id}", Order(company, customer, "2026-11-24T10:30:00Z", ("A", 5)));
        Assert.False(same.GetProperty("updated").GetBoolean());
        Assert.False(older.GetProperty("updated").GetBoolean());
        Assert.Equal(1m, await ReservedAsync(company, "A"));
    }

    [Fact]
    public async Task An_edit_moves_only_the_reservations_of_bins_whose_units_changed()
    {
        var (company, customer) = await StockedCompanyAsync();
        var (_, order) = await erp.PostAsync("/api/erp/sales-orders", Order(company, customer, "2026-11-24T10:00:00Z", ("A", 2), ("B", 3)));
        var id = order.GetProperty("id").GetInt64();
        var (a, b) = (await StockEventsAsync(company, "A"), await StockEventsAsync(company, "B"));

        // B from 3 to 1, A as it was: A's bin is not touched (no stock event, so no store is pushed its stock again).
        var (_, edit) = await erp.PutAsync($"/api/erp/sales-orders/{id}", Order(company, customer, "2026-11-24T11:00:00Z", ("A", 2), ("B", 1)));

        Assert.True(edit.GetProperty("updated").GetBoolean(), edit.ToString());
        Assert.Equal((2m, 1m), (await ReservedAsync(company, "A"), await ReservedAsync(company, "B")));
        Assert.Equal((a, b + 1), (await StockEventsAsync(company, "A"), await StockEventsAsync(company, "B")));
    }

    private Task<long> StockEventsAsync(string company, string sku) =>
        erp.CountAsync("SELECT count(*) FROM integration.outbox WHERE company = @company AND topic = 'erp.stock.changed' AND entity_key LIKE @key", new { company, key = sku + "@%" });

    [Fact]
    public async Task An_order_that_is_not_open_is_refused_an_edit()
    {
        var (company, customer) = await StockedCompanyAsync();
        var (_, order) = await erp.PostAsync("/api/erp/sales-orders", Order(company, customer, "2026-11-24T10:00:00Z", ("A", 2)));
        var id = order.GetProperty("id").GetInt64();
        await erp.PostAsync($"/api/erp/sales-orders/{id}/cancel", new { company });

        var (status, problem) = await erp.PutAsync($"/api/erp/sales-orders/{id}", Order(company, customer, "2026-11-24T11:00:00Z", ("A", 1)));

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("not-open", problem.GetProperty("type").GetString());
        Assert.Equal(0m, await ReservedAsync(company, "A"));
    }

    [Fact]
    public async Task An_amount_credit_reverses_its_account_and_vat_without_stock_and_its_refund_is_recorded_once_later()
    {
        var (company, customer) = await StockedCompanyAsync();
        var (_, invoice) = await erp.PostAsync("/api/erp/sales-invoices", new
        {
            company, customer, postingDate = On(5, 10), warehouse = "MAIN-WH", costCenter = "ONLINE",
            lines = new object[] { new { sku = "A", qty = 1, rate = 250m }, new { qty = 1, rate = 50m, incomeAccount = "4200", description = "Shipping" } },
            source = new { system = "shopify", store = "s", id = "inv-1" },
        });
        var stockBefore = (await BalanceAsync(company, "A")).GetProperty("actualQty").GetDecimal();

        var (status, note) = await erp.PostAsync("/api/erp/sales-returns", new
        {
            company, invoiceId = invoice.GetProperty("id").GetInt64(), postingDate = On(5, 12), lines = Array.Empty<object>(),
            amounts = new object[]
            {
                new { amount = 50m, tax = 7m, incomeAccount = "4200", description = "Shipping refund" },
                new { amount = 114m, amountIncludesTax = true, incomeAccount = "4300", description = "Goodwill" },
            },
            source = new { system = "shopify", store = "s", id = "refund-1" },
        });

        Assert.True(status == HttpStatusCode.Created, note.ToString());
        Assert.Equal(171m, note.GetProperty("grandTotal").GetDecimal());
        var gl = await GlAsync(company, note.GetProperty("docNo").GetString()!);
        Assert.Equal((50m, 0m), Sum(gl, "4200"));
        Assert.Equal((100m, 0m), Sum(gl, "4300"));
        Assert.Equal((21m, 0m), Sum(gl, "2120"));
        Assert.Equal((0m, 171m), Sum(gl, "1150"));
        Assert.Equal(stockBefore, (await BalanceAsync(company, "A")).GetProperty("actualQty").GetDecimal());
        Assert.Empty(await GlAsync(company, note.GetProperty("docNo").GetString()! + "-REFUND"));

        var id = note.GetProperty("id").GetInt64();
        var (_, first) = await erp.PostAsync($"/api/erp/sales-returns/{id}/refund", new { company, account = "1130", postingDate = On(5, 14) });
        var (_, second) = await erp.PostAsync($"/api/erp/sales-returns/{id}/refund", new { company, account = "1130", postingDate = On(5, 15) });

        Assert.True(first.GetProperty("recorded").GetBoolean());
        Assert.False(second.GetProperty("recorded").GetBoolean());
        var refund = await GlAsync(company, note.GetProperty("docNo").GetString()! + "-REFUND");
        Assert.Equal((0m, 171m), Sum(refund, "1130"));
        Assert.Equal((171m, 0m), Sum(refund, "1150"));
    }

    [Fact]
    public async Task Amounts_credited_with_their_tax_carry_a_rate_and_tax_rate_that_give_back_that_tax()
    {
        var (company, customer) = await StockedCompanyAsync();
        var (_, invoice) = await erp.PostAsync("/api/erp/sales-invoices", new
        {
            company, customer, postingDate = On(5, 10), warehouse = "MAIN-WH", costCenter = "ONLINE", taxesIncluded = true,
            lines = new object[] { new { sku = "A", qty = 1, rate = 285m }, new { qty = 1, rate = 57m, incomeAccount = "4200", description = "Shipping" } },
            source = new { system = "shopify", store = "s", id = "inv-incl" },
        });

        var (status, note) = await erp.PostAsync("/api/erp/sales-returns", new
        {
            company, invoiceId = invoice.GetProperty("id").GetInt64(), postingDate = On(5, 12), lines = Array.Empty<object>(),
            amounts = new object[]
            {
                new { amount = 28.50m, tax = 3.50m, amountIncludesTax = true, incomeAccount = "4200", description = "Shipping refund" },
                new { amount = 20m, tax = 0m, amountIncludesTax = true, incomeAccount = "4300", description = "Goodwill" },
            },
            source = new { system = "shopify", store = "s", id = "refund-incl" },
        });

        Assert.True(status == HttpStatusCode.Created, note.ToString());
        Assert.Equal(48.50m, note.GetProperty("grandTotal").GetDecimal());
        // A tax-inclusive invoice's lines carry the price with its tax; the rate is the one that gives the tax given, so
        // the ETA return receipt (which works the tax out from them) says 25 + 3.50 and 20 + 0, as the ledger does.
        var lines = note.GetProperty("lines").EnumerateArray().Select(l => (Rate: l.GetProperty("rate").GetDecimal(), TaxRate: l.GetProperty("taxRate").GetDecimal(),
            Net: l.GetProperty("netAmount").GetDecimal(), Tax: l.GetProperty("taxAmount").GetDecimal())).ToList();
        Assert.Equal([(28.50m, 14m, 25m, 3.50m), (20m, 0m, 20m, 0m)], lines);
    }

    [Fact]
    public async Task Money_given_back_as_invoiced_is_shared_over_the_invoices_tax_rates_and_reverses_vat_only_on_the_taxed_share()
    {
        var (company, customer) = await StockedCompanyAsync();
        var (_, invoice) = await erp.PostAsync("/api/erp/sales-invoices", new
        {
            company, customer, postingDate = On(5, 10), warehouse = "MAIN-WH", costCenter = "ONLINE",
            lines = new object[] { new { sku = "A", qty = 1, rate = 100m }, new { qty = 1, rate = 100m, taxRate = 0m, incomeAccount = "4200", description = "Exempt service" } },
            source = new { system = "woocommerce", store = "w", id = "inv-mixed" },
        });
        Assert.Equal(214m, invoice.GetProperty("grandTotal").GetDecimal());

        var (status, note) = await erp.PostAsync("/api/erp/sales-returns", new
        {
            company, invoiceId = invoice.GetProperty("id").GetInt64(), postingDate = On(5, 12), lines = Array.Empty<object>(),
            amounts = new object[] { new { amount = 50m, incomeAccount = "4300", taxAsInvoiced = true, description = "Goodwill" } },
            source = new { system = "woocommerce", store = "w", id = "inv-mixed/refund/1" },
        });

        Assert.True(status == HttpStatusCode.Created, note.ToString());
        Assert.Equal(50m, note.GetProperty("grandTotal").GetDecimal());
        // 114 of the 214 sold bore 14 %: 26.64 of the 50 comes back with its VAT, 23.36 without (not 6.14 of VAT on all 50).
        var lines = note.GetProperty("lines").EnumerateArray().Select(l => (TaxRate: l.GetProperty("taxRate").GetDecimal(),
            Net: l.GetProperty("netAmount").GetDecimal(), Tax: l.GetProperty("taxAmount").GetDecimal())).ToList();
        Assert.Equal([(14m, 23.37m, 3.27m), (0m, 23.36m, 0m)], lines);
        var gl = await GlAsync(company, note.GetProperty("docNo").GetString()!);
        Assert.Equal((3.27m, 0m), Sum(gl, "2120"));
        Assert.Equal((46.73m, 0m), Sum(gl, "4300"));
    }

    [Fact]
    public async Task Money_given_back_as_invoiced_is_shared_over_what_is_left_of_the_sale_and_never_over_a_gift_card_sold()
    {
        var (company, customer) = await StockedCompanyAsync();
        var (_, invoice) = await erp.PostAsync("/api/erp/sales-invoices", new
        {
            company, customer, postingDate = On(5, 10), warehouse = "MAIN-WH", costCenter = "ONLINE",
            lines = new object[]
            {
                new { sku = "A", qty = 1, rate = 1000m },
                new { qty = 1, rate = 1000m, taxRate = 0m, incomeAccount = "4200", description = "Exempt service" },
                new { qty = 1, rate = 500m, taxRate = 0m, incomeAccount = "2130", description = "Gift card" },
            },
            source = new { system = "shopify", store = "s", id = "inv-left" },
        });
        var invoiceId = invoice.GetProperty("id").GetInt64();

        // The taxed line comes back whole; then 500 of goodwill: nothing taxed is left, so none of it is VAT.
        await erp.PostAsync("/api/erp/sales-returns", new
        {
            company, invoiceId, postingDate = On(5, 11), lines = new object[] { new { lineNo = 1, qty = 1 } }, source = new { system = "shopify", store = "s", id = "ret-taxed" },
        });
        var (status, note) = await erp.PostAsync("/api/erp/sales-returns", new
        {
            company, invoiceId, postingDate = On(5, 12), lines = Array.Empty<object>(),
            amounts = new object[] { new { amount = 500m, incomeAccount = "4300", taxAsInvoiced = true, description = "Goodwill" } },
            source = new { system = "shopify", store = "s", id = "goodwill-left" },
        });

        Assert.True(status == HttpStatusCode.Created, note.ToString());
        var line = Assert.Single(note.GetProperty("lines").EnumerateArray());
        Assert.Equal((0m, 500m, 0m), (line.GetProperty("taxRate").GetDecimal(), line.GetProperty("netAmount").GetDecimal(), line.GetProperty("taxAmount").GetDecimal()));

        // A sale of a taxed item beside a gift card: the card is no sale, all of the goodwill is at 14 %.
        var (_, withCard) = await erp.PostAsync("/api/erp/sales-invoices", new
        {
            company, customer, postingDate = On(5, 10), warehouse = "MAIN-WH", costCenter = "ONLINE",
            lines = new object[] { new { sku = "A", qty = 1, rate = 100m }, new { qty = 1, rate = 500m, taxRate = 0m, incomeAccount = "2130", description = "Gift card" } },
            source = new { system = "shopify", store = "s", id = "inv-card" },
        });
        var (_, cardNote) = await erp.PostAsync("/api/erp/sales-returns", new
        {
            company, invoiceId = withCard.GetProperty("id").GetInt64(), postingDate = On(5, 12), lines = Array.Empty<object>(),
            amounts = new object[] { new { amount = 57m, incomeAccount = "4300", taxAsInvoiced = true, description = "Goodwill" } },
            source = new { system = "shopify", store = "s", id = "goodwill-card" },
        });
        var cardLine = Assert.Single(cardNote.GetProperty("lines").EnumerateArray());
        Assert.Equal((14m, 50m, 7m), (cardLine.GetProperty("taxRate").GetDecimal(), cardLine.GetProperty("netAmount").GetDecimal(), cardLine.GetProperty("taxAmount").GetDecimal()));
    }

    [Fact]
    public async Task The_rest_of_an_invoice_after_money_given_back_without_goods_takes_that_money_off_with_its_own_vat()
    {
        var (company, customer) = await StockedCompanyAsync();
        var (_, invoice) = await erp.PostAsync("/api/erp/sales-invoices", new
        {
            company, customer, postingDate = On(5, 10), warehouse = "MAIN-WH", costCenter = "ONLINE",
            lines = new object[] { new { sku = "A", qty = 1, rate = 1000m }, new { qty = 1, rate = 50m, taxRate = 0m, incomeAccount = "4200", description = "Shipping" } },
            source = new { system = "shopify", store = "s", id = "inv-offset" },
        });
        var invoiceId = invoice.GetProperty("id").GetInt64();
        Assert.Equal(1190m, invoice.GetProperty("grandTotal").GetDecimal());
        // 100 given back as goodwill without VAT, then the order is cancelled: the rest is 1,090, with all 140 of VAT.
        await erp.PostAsync("/api/erp/sales-returns", new
        {
            company, invoiceId, postingDate = On(5, 11), lines = Array.Empty<object>(),
            amounts = new object[] { new { amount = 100m, tax = 0m, incomeAccount = "4300", description = "Goodwill" } },
            source = new { system = "shopify", store = "s", id = "goodwill" },
        });

        var (status, rest) = await erp.PostAsync("/api/erp/sales-returns", new
        {
            company, invoiceId, postingDate = On(5, 12), offsetAmountsCredited = true,
            lines = new object[] { new { lineNo = 1, qty = 1 }, new { lineNo = 2, qty = 1 } },
            source = new { system = "shopify", store = "s", id = "inv-offset/cancel" },
        });

        Assert.True(status == HttpStatusCode.Created, rest.ToString());
        Assert.Equal(1090m, rest.GetProperty("grandTotal").GetDecimal());
        var gl = await GlAsync(company, rest.GetProperty("docNo").GetString()!);
        Assert.Equal((140m, 0m), Sum(gl, "2120"));
        Assert.Equal(950m, gl.Where(g => g.Account.StartsWith('4')).Sum(g => g.Debit));
        Assert.Equal("Returned", (await erp.GetJsonAsync($"/api/erp/sales-documents/{invoiceId}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Money_taken_off_the_rest_never_makes_a_free_line_negative()
    {
        var (company, customer) = await StockedCompanyAsync();
        var (_, invoice) = await erp.PostAsync("/api/erp/sales-invoices", new
        {
            company, customer, postingDate = On(5, 10), warehouse = "MAIN-WH", costCenter = "ONLINE",
            lines = new object[]
            {
                new { sku = "B", qty = 1, rate = 20m }, new { sku = "B", qty = 1, rate = 20m }, new { sku = "B", qty = 1, rate = 20m },
                new { sku = "A", qty = 1, rate = 0m, description = "Free gift" },
            },
            source = new { system = "shopify", store = "s", id = "inv-gift" },
        });
        var invoiceId = invoice.GetProperty("id").GetInt64();
        await erp.PostAsync("/api/erp/sales-returns", new
        {
            company, invoiceId, postingDate = On(5, 11), lines = Array.Empty<object>(),
            amounts = new object[] { new { amount = 10m, incomeAccount = "4300", description = "Goodwill" } },
            source = new { system = "shopify", store = "s", id = "gift-goodwill" },
        });

        var (status, rest) = await erp.PostAsync("/api/erp/sales-returns", new
        {
            company, invoiceId, postingDate = On(5, 12), offsetAmountsCredited = true,
            lines = Enumerable.Range(1, 4).Select(n => new { lineNo = n, qty = 1 }).ToArray(),
            source = new { system = "shopify", store = "s", id = "inv-gift/cancel" },
        });

        Assert.True(status == HttpStatusCode.Created, rest.ToString());
        Assert.Equal(invoice.GetProperty("grandTotal").GetDecimal() - 11.40m, rest.GetProperty("grandTotal").GetDecimal());
        Assert.All(rest.GetProperty("lines").EnumerateArray(), l => Assert.True(l.GetProperty("netAmount").GetDecimal() >= 0 && l.GetProperty("taxAmount").GetDecimal() >= 0, l.ToString()));
    }

    private static object Order(string company, string customer, string version, params (string Sku, int Qty)[] lines) => new
    {
        company, customer, postingDate = On(5, 10), warehouse = "MAIN-WH", sourceVersion = version,
        lines = lines.Select(l => new { sku = l.Sku, qty = l.Qty, rate = 250m }).ToArray(),
        source = new { system = "shopify", store = "s", id = $"order-{Guid.NewGuid():N}" },
    };

    private async Task<(string Company, string Customer)> StockedCompanyAsync()
    {
        var company = await erp.NewCompanyAsync();
        await erp.PostAsync("/api/erp/items", new { company, sku = "A", name = "Leather bag" });
        await erp.PostAsync("/api/erp/items", new { company, sku = "B", name = "Wallet" });
        await erp.PostAsync("/api/erp/stock-entries", new { company, purpose = "Receipt", postingDate = On(5, 1), lines = new object[] { new { sku = "A", qty = 10, rate = 100, warehouse = "MAIN-WH" }, new { sku = "B", qty = 10, rate = 40, warehouse = "MAIN-WH" } } });
        var (_, customer) = await erp.PostAsync("/api/erp/customers", new { company, id = "CUST-1", name = "Mona Hassan" });
        return (company, customer.GetProperty("id").GetString()!);
    }

    private async Task<decimal> ReservedAsync(string company, string sku) => (await BalanceAsync(company, sku)).GetProperty("reservedQty").GetDecimal();

    private async Task<List<(string Account, decimal Debit, decimal Credit)>> GlAsync(string company, string voucherNo)
    {
        await using var connection = await erp.OpenAsync();
        return [.. await connection.QueryAsync<(string, decimal, decimal)>(
            "SELECT account, debit, credit FROM erp.gl_entry WHERE company = @company AND voucher_no = @voucherNo", new { company, voucherNo })];
    }

    private static (decimal, decimal) Sum(List<(string Account, decimal Debit, decimal Credit)> gl, string account) =>
        (gl.Where(g => g.Account == account).Sum(g => g.Debit), gl.Where(g => g.Account == account).Sum(g => g.Credit));

    private async Task<JsonElement> BalanceAsync(string company, string sku) =>
        Assert.Single((await erp.GetJsonAsync($"/api/erp/stock-balances?company={company}&sku={sku}&warehouse=MAIN-WH")).EnumerateArray());
}
