using System.Net;
using static Integration.Erp.Tests.ErpHost;

namespace Integration.Erp.Tests.Ledger;

/// <summary>
/// Requests the ERP refuses with a problem because accepting them would leave the books wrong: a document made twice,
/// stock valued below zero, spending past a Stop budget, an original brought back under a cancelled status.
/// </summary>
public sealed class RefusedInputTests(ErpHost erp) : IClassFixture<ErpHost>
{
    [Fact]
    public async Task A_document_whose_source_names_no_store_is_refused_so_a_retry_cannot_make_it_twice()
    {
        var company = await erp.NewCompanyAsync();
        await erp.PostAsync("/api/erp/customers", new { company, id = "CUST-1", name = "Mona" });
        var invoice = new
        {
            company, customer = "CUST-1", postingDate = On(5, 10),
            lines = new[] { new { qty = 1, rate = 50m, incomeAccount = "4200", description = "Delivery" } },
            source = new { system = "pos", id = "R-1" },
        };

        var (first, problem) = await erp.PostAsync("/api/erp/sales-invoices", invoice);
        var (again, _) = await erp.PostAsync("/api/erp/sales-invoices", invoice);

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (first, again));
        Assert.Equal("invalid-source", problem.GetProperty("type").GetString());
        Assert.Equal(0, await erp.ScalarAsync<int>("SELECT count(*) FROM erp.sales_document WHERE company = @company", new { company }));
    }

    [Fact]
    public async Task A_payment_to_a_stock_account_is_refused_so_the_gl_keeps_the_stock_ledgers_value()
    {
        var company = await erp.NewCompanyAsync();
        await erp.PostAsync("/api/erp/customers", new { company, id = "CUST-1", name = "Mona" });
        var (created, invoice) = await erp.PostAsync("/api/erp/sales-invoices", new
        {
            company, customer = "CUST-1", postingDate = On(5, 10), lines = new[] { new { qty = 1, rate = 100m, incomeAccount = "4200", description = "Delivery" } },
            source = new { system = "pos", store = "TILL-1", id = "R-2" },
        });
        Assert.True(created == HttpStatusCode.Created, invoice.ToString());

        var (status, problem) = await erp.PostAsync("/api/erp/payments", new { company, invoiceId = invoice.GetProperty("id").GetInt64(), postingDate = On(5, 11), account = "1160", amount = 100m });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("stock-account", problem.GetProperty("type").GetString());
        Assert.Equal(0m, await erp.ScalarAsync<decimal>("SELECT coalesce(sum(debit - credit), 0) FROM erp.gl_entry WHERE company = @company AND account = '1160'", new { company }));
    }

    [Fact]
    public async Task Income_on_a_stock_account_is_refused_on_a_sale_a_credit_note_and_an_item_group()
    {
        var company = await erp.NewCompanyAsync();
        await erp.PostAsync("/api/erp/customers", new { company, id = "CUST-1", name = "Mona" });
        var (sale, saleProblem) = await erp.PostAsync("/api/erp/sales-invoices", new
        {
            company, customer = "CUST-1", postingDate = On(5, 10), lines = new[] { new { qty = 1, rate = 100m, incomeAccount = "1160", description = "Delivery" } },
            source = new { system = "pos", store = "TILL-1", id = "R-3" },
        });
        var (created, invoice) = await erp.PostAsync("/api/erp/sales-invoices", new
        {
            company, customer = "CUST-1", postingDate = On(5, 10), lines = new[] { new { qty = 1, rate = 100m, incomeAccount = "4200", description = "Delivery" } },
            source = new { system = "pos", store = "TILL-1", id = "R-4" },
        });
        Assert.True(created == HttpStatusCode.Created, invoice.ToString());
        var (credit, creditProblem) = await erp.PostAsync("/api/erp/sales-returns", new
        {
            company, invoiceId = invoice.GetProperty("id").GetInt64(), postingDate = On(5, 11), lines = Array.Empty<object>(), amounts = new[] { new { amount = 10m, incomeAccount = "1160", description = "Goodwill" } },
        });
        var (group, groupProblem) = await erp.PostAsync("/api/erp/item-groups", new { company, id = "SOAPS", name = "Soaps", parent = "PRODUCTS", cogsAccount = "1160" });

        Assert.Equal((HttpStatusCode.UnprocessableEntity, "stock-account"), (sale, saleProblem.GetProperty("type").GetString()));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "stock-account"), (credit, creditProblem.GetProperty("type").GetString()));
        Assert.Equal((HttpStatusCode.BadRequest, "stock-account"), (group, groupProblem.GetProperty("type").GetString()));
        Assert.Equal(0m, await erp.ScalarAsync<decimal>("SELECT coalesce(sum(debit - credit), 0) FROM erp.gl_entry WHERE company = @company AND account = '1160'", new { company }));
    }

    [Fact]
    public async Task An_invoice_for_another_customer_cannot_complete_a_sales_order()
    {
        var company = await erp.NewCompanyAsync();
        await erp.PostAsync("/api/erp/customers", new { company, id = "CUST-1", name = "Mona" });
        await erp.PostAsync("/api/erp/customers", new { company, id = "CUST-2", name = "Omar" });
        var lines = new[] { new { qty = 1, rate = 100m, incomeAccount = "4200", description = "Delivery" } };
        var (created, order) = await erp.PostAsync("/api/erp/sales-orders", new { company, customer = "CUST-1", postingDate = On(5, 10), lines });
        Assert.True(created == HttpStatusCode.Created, order.ToString());

        var (status, problem) = await erp.PostAsync("/api/erp/sales-invoices", new
        {
            company, customer = "CUST-2", postingDate = On(5, 11), salesOrderId = order.GetProperty("id").GetInt64(), lines = Array.Empty<object>(),
        });

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("other-customer", problem.GetProperty("type").GetString());
        Assert.Equal("Open", (await erp.GetJsonAsync($"/api/erp/sales-documents/{order.GetProperty("id").GetInt64()}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_payment_finer_than_the_currency_is_refused_so_the_invoice_and_its_receivable_agree()
    {
        var company = await erp.NewCompanyAsync();
        await erp.PostAsync("/api/erp/customers", new { company, id = "CUST-1", name = "Mona" });
        var (_, invoice) = await erp.PostAsync("/api/erp/sales-invoices", new
        {
            company, customer = "CUST-1", postingDate = On(5, 10), lines = new[] { new { qty = 1, rate = 100m, incomeAccount = "4200", description = "Delivery" } },
        });

        var (status, problem) = await erp.PostAsync("/api/erp/payments", new { company, invoiceId = invoice.GetProperty("id").GetInt64(), postingDate = On(5, 11), account = "1130", amount = 50.005m });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid-payment", problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Stock_received_or_ordered_at_a_negative_rate_is_refused()
    {
        var company = await erp.NewCompanyAsync();
        await erp.PostAsync("/api/erp/items", new { company, sku = "SOAP", name = "Soap" });

        var (received, problem) = await erp.PostAsync("/api/erp/stock-entries", new
        {
            company, purpose = "Receipt", postingDate = On(3, 4), lines = new[] { new { sku = "SOAP", qty = 10m, rate = -100m, warehouse = "MAIN-WH" } },
        });
        var (ordered, _) = await erp.PostAsync("/api/erp/purchase-orders", new
        {
            company, supplier = "Nile Soap Co.", orderDate = On(3, 4), lines = new[] { new { sku = "SOAP", warehouse = "MAIN-WH", qty = 5m, rate = -4.5m } },
        });

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (received, ordered));
        Assert.Equal("invalid-rate", problem.GetProperty("type").GetString());
        Assert.Equal(0, await erp.ScalarAsync<int>("SELECT count(*) FROM erp.stock_ledger_entry WHERE company = @company", new { company }));
    }

    [Fact]
    public async Task A_negative_budget_commitment_is_refused_so_spending_cannot_pass_a_stop_budget_through_it()
    {
        var company = await erp.NewCompanyAsync();
        var (budget, body) = await erp.PostAsync("/api/erp/budgets", new
        {
            company, fiscalYear = Year.ToString(System.Globalization.CultureInfo.InvariantCulture), costCenter = "MAIN", account = "5230", annualAmount = 1_000m,
            annualAction = "Stop", monthlyAction = "Warn",
        });
        Assert.True(budget == HttpStatusCode.Created, body.ToString());

        var (committed, problem) = await erp.PostAsync("/api/erp/budgets/commitments", new
        {
            company, documentType = "Purchase Order", documentNo = "PO-NEG", date = On(6, 1), lines = new[] { new { account = "5230", costCenter = "MAIN", amount = -5_000m } },
        });
        var (spent, _) = await erp.PostEntryAsync(company, On(6, 2), Debit("5230", 3_000m), Credit("1110", 3_000m));

        Assert.Equal(HttpStatusCode.BadRequest, committed);
        Assert.Equal("invalid-amount", problem.GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, spent);
    }

    [Fact]
    public async Task The_reversal_of_a_cancelled_entry_cannot_be_cancelled_to_bring_the_original_back()
    {
        var company = await erp.NewCompanyAsync();
        var entry = await erp.PostEntryOkAsync(company, On(3, 10), Debit("5250", 1_500m), Credit("1120", 1_500m));
        var id = entry.GetProperty("id").GetInt64();
        var (cancelled, original) = await erp.PostAsync($"/api/erp/journal-entries/{id}/cancel", new { });
        Assert.Equal(HttpStatusCode.OK, cancelled);

        var reversal = original.GetProperty("reversedBy").GetInt64();
        var (status, problem) = await erp.PostAsync($"/api/erp/journal-entries/{reversal}/cancel", new { });

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("is-reversal", problem.GetProperty("type").GetString());
        Assert.Equal(0m, await erp.ScalarAsync<decimal>("SELECT coalesce(sum(debit - credit), 0) FROM erp.gl_entry WHERE company = @company AND account = '5250'", new { company }));
    }
}
