using Integration.Erp.Accounts;
using Integration.Erp.Budgets;
using Integration.Erp.Companies;
using Integration.Erp.CostCenters;
using Integration.Erp.FiscalYears;
using Integration.Erp.Ledger;
using Integration.Erp.Reports;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;

namespace Integration.Erp.Api;

/// <summary><c>/api/erp/...</c>: the ledger, cost centers, budgets and their reports.</summary>
public static class ErpApi
{
    public static IEndpointRouteBuilder MapErpApi(this IEndpointRouteBuilder app)
    {
        var erp = app.MapGroup("/api/erp").AddEndpointFilter<ErpProblemFilter>();
        MapSetup(erp);
        MapLedger(erp);
        MapBudgets(erp);
        MapReports(erp);
        StockApi.MapStock(erp);
        SalesApi.MapSales(erp);
        PricingApi.MapPricing(erp);
        return app;
    }

    private static void MapSetup(RouteGroupBuilder erp)
    {
        var companies = erp.MapGroup("/companies").WithTags("ERP setup");
        companies.MapGet("/", async (NpgsqlDataSource db) =>
        {
            await using var connection = await db.OpenConnectionAsync();
            return Results.Ok(await CompanyStore.ListAsync(connection));
        }).WithName("ListCompanies").WithSummary("Lists companies.");
        companies.MapPost("/", async (CompanySetup setup, CreateCompanyRequest request, CancellationToken ct) =>
        {
            var company = await setup.CreateAsync(request.Id, request.Name, request.Currency ?? "EGP", request.CurrencyPrecision ?? 2, ct);
            return Results.Created($"/api/erp/companies/{company.Id}", company);
        }).WithName("CreateCompany").WithSummary("Creates a company with the default chart of accounts, cost centers and this year's fiscal year.");

        var accounts = erp.MapGroup("/accounts").WithTags("ERP setup");
        accounts.MapGet("/", async (NpgsqlDataSource db, string? company) =>
        {
            await using var connection = await db.OpenConnectionAsync();
            return Results.Ok(await AccountStore.ListAsync(connection, await CompanyResolution.ResolveAsync(connection, company)));
        }).WithName("ListAccounts").WithSummary("The chart of accounts (each account names its parent).");
        accounts.MapPost("/", async (NpgsqlDataSource db, CreateAccountRequest request) =>
        {
            await using var connection = await db.OpenConnectionAsync();
            var account = new Account(await CompanyResolution.ResolveAsync(connection, request.Company), request.Id, request.Name, request.Parent,
                request.IsGroup, request.RootType, request.AccountType, false);
            await AccountStore.CreateAsync(connection, null, account);
            return Results.Created($"/api/erp/accounts/{account.Company}/{account.Id}", account);
        }).WithName("CreateAccount").WithSummary("Adds an account under a group account.");
        accounts.MapPatch("/{company}/{id}", async (NpgsqlDataSource db, string company, string id, UpdateAccountRequest request) =>
        {
            await using var connection = await db.OpenConnectionAsync();
            return Results.Ok(await AccountStore.UpdateAsync(connection, company, id, request.Name, request.Disabled));
        }).WithName("UpdateAccount").WithSummary("Renames or disables an account.");

        var costCenters = erp.MapGroup("/cost-centers").WithTags("ERP setup");
        costCenters.MapGet("/", async (NpgsqlDataSource db, string? company) =>
        {
            await using var connection = await db.OpenConnectionAsync();
            return Results.Ok(await CostCenterStore.ListAsync(connection, await CompanyResolution.ResolveAsync(connection, company)));
        }).WithName("ListCostCenters").WithSummary("The cost center tree (each names its parent).");
        costCenters.MapPost("/", async (NpgsqlDataSource db, CreateCostCenterRequest request) =>
        {
            await using var connection = await db.OpenConnectionAsync();
            var costCenter = new CostCenter(await CompanyResolution.ResolveAsync(connection, request.Company), request.Id, request.Name, request.Parent, request.IsGroup, false);
            await CostCenterStore.CreateAsync(connection, null, costCenter);
            return Results.Created($"/api/erp/cost-centers/{costCenter.Company}/{costCenter.Id}", costCenter);
        }).WithName("CreateCostCenter").WithSummary("Adds a cost center under a group.");

        var years = erp.MapGroup("/fiscal-years").WithTags("ERP setup");
        years.MapGet("/", async (NpgsqlDataSource db, string? company) =>
        {
            await using var connection = await db.OpenConnectionAsync();
            return Results.Ok(await FiscalYearStore.ListAsync(connection, await CompanyResolution.ResolveAsync(connection, company)));
        }).WithName("ListFiscalYears").WithSummary("Fiscal years with their monthly periods.");
        years.MapPost("/", async (NpgsqlDataSource db, CreateFiscalYearRequest request) =>
        {
            await using var connection = await db.OpenConnectionAsync();
            var company = await CompanyResolution.ResolveAsync(connection, request.Company);
            await FiscalYearStore.CreateAsync(connection, null, company, request.Id, request.StartDate, request.EndDate);
            return Results.Created($"/api/erp/fiscal-years/{company}/{request.Id}", (await FiscalYearStore.ListAsync(connection, company)).Single(y => y.Id == request.Id));
        }).WithName("CreateFiscalYear").WithSummary("Adds a fiscal year with monthly periods.");
        years.MapPost("/{company}/{id}/close", (NpgsqlDataSource db, string company, string id, ClosePeriodRequest request) => SetClosed(db, company, id, request.Date, true))
            .WithName("ClosePeriod").WithSummary("Closes the period containing `date`, or the whole year without a date.");
        years.MapPost("/{company}/{id}/reopen", (NpgsqlDataSource db, string company, string id, ClosePeriodRequest request) => SetClosed(db, company, id, request.Date, false))
            .WithName("ReopenPeriod").WithSummary("Reopens the period containing `date`, or the whole year.");
    }

    private static async Task<IResult> SetClosed(NpgsqlDataSource db, string company, string id, DateOnly? date, bool closed)
    {
        await using var connection = await db.OpenConnectionAsync();
        await FiscalYearStore.SetClosedAsync(connection, company, id, date, closed);
        return Results.Ok((await FiscalYearStore.ListAsync(connection, company)).Single(y => y.Id == id));
    }

    private static void MapLedger(RouteGroupBuilder erp)
    {
        var journal = erp.MapGroup("/journal-entries").WithTags("Ledger");
        journal.MapPost("/", async (NpgsqlDataSource db, JournalEntries entries, CreateJournalEntryRequest request, CancellationToken ct) =>
        {
            string company;
            await using (var connection = await db.OpenConnectionAsync(ct))
            {
                company = await CompanyResolution.ResolveAsync(connection, request.Company);
            }

            var (entry, existed) = await entries.CreateAsync(
                new Voucher(company, JournalEntries.VoucherType, request.PostingDate, request.Lines ?? [], request.Remarks),
                request.IdempotencyKey, request.Post, ct);
            return existed ? Results.Ok(entry) : Results.Created($"/api/erp/journal-entries/{entry.Id}", entry);
        }).WithName("CreateJournalEntry").WithSummary("Creates a journal entry as a draft, or posts it at once with `post: true`; idempotent on `idempotencyKey`.");
        journal.MapGet("/{id:long}", async (JournalEntries entries, long id, CancellationToken ct) => Results.Ok(await entries.GetAsync(id, ct)))
            .WithName("GetJournalEntry").WithSummary("A journal entry with its GL entries.");
        journal.MapPost("/{id:long}/post", async (JournalEntries entries, long id, CancellationToken ct) => Results.Ok(await entries.PostAsync(id, ct)))
            .WithName("PostJournalEntry").WithSummary("Posts a draft: balance, period, accounts, cost centers and budgets are checked; nothing is written if any fails.");
        journal.MapPost("/{id:long}/cancel", async (JournalEntries entries, long id, CancelJournalEntryRequest? request, CancellationToken ct) =>
                Results.Ok(await entries.CancelAsync(id, request?.PostingDate, ct)))
            .WithName("CancelJournalEntry").WithSummary("Cancels a posted entry by a reversing voucher (dated the original date unless `postingDate` is given).");

        erp.MapGet("/gl-entries", async (NpgsqlDataSource db, string? company, string? account, string? partyType, string? party,
                string? costCenter, DateOnly? from, DateOnly? to, string? voucherNo, int? limit, long? after) =>
            {
                await using var connection = await db.OpenConnectionAsync();
                var resolved = await CompanyResolution.ResolveAsync(connection, company);
                return Results.Ok(await GlEntryStore.QueryAsync(connection, resolved, account, partyType, party, costCenter, from, to, voucherNo,
                    Math.Clamp(limit ?? 200, 1, 5000), after));
            })
            .WithTags("Ledger").WithName("ListGlEntries")
            .WithSummary("The general ledger by account, party, cost center, dates or voucher; page with `after` (the last id seen).");
    }

    private static void MapBudgets(RouteGroupBuilder erp)
    {
        var budgets = erp.MapGroup("/budgets").WithTags("Budgets");
        budgets.MapGet("/", async (NpgsqlDataSource db, string? company, string? fiscalYear) =>
        {
            await using var connection = await db.OpenConnectionAsync();
            return Results.Ok(await BudgetStore.ListAsync(connection, await CompanyResolution.ResolveAsync(connection, company), fiscalYear));
        }).WithName("ListBudgets").WithSummary("Budgets of a company, optionally of one fiscal year.");
        budgets.MapPost("/", async (NpgsqlDataSource db, CreateBudgetRequest request) =>
        {
            await using var connection = await db.OpenConnectionAsync();
            var budget = await BudgetStore.CreateAsync(connection, new Budget(0, await CompanyResolution.ResolveAsync(connection, request.Company),
                request.FiscalYear, request.CostCenter, request.Account, request.AnnualAmount, request.MonthlyDistribution,
                request.AnnualAction ?? "Stop", request.MonthlyAction ?? "Warn", request.WarnThresholdPercent ?? 80m));
            return Results.Created($"/api/erp/budgets/{budget.Id}", budget);
        }).WithName("CreateBudget").WithSummary("Sets a budget for an expense account on a cost center (and its children) for a fiscal year.");
        budgets.MapPost("/commitments", async (NpgsqlDataSource db, BudgetCommitments commitments, CommitBudgetRequest request, CancellationToken ct) =>
        {
            string company;
            await using (var connection = await db.OpenConnectionAsync(ct))
            {
                company = await CompanyResolution.ResolveAsync(connection, request.Company);
            }

            var warnings = await commitments.CommitAsync(company, request.DocumentType, request.DocumentNo, request.Date,
                [.. request.Lines.Select(l => (l.Account, l.CostCenter, l.Amount))], ct);
            return Results.Ok(new { warnings });
        }).WithName("CommitBudget").WithSummary("Checks and commits budget for a submitted purchase request or order (Stop refuses with budget-exceeded).");
        budgets.MapPost("/commitments/release", async (NpgsqlDataSource db, BudgetCommitments commitments, ReleaseBudgetRequest request, CancellationToken ct) =>
        {
            string company;
            await using (var connection = await db.OpenConnectionAsync(ct))
            {
                company = await CompanyResolution.ResolveAsync(connection, request.Company);
            }

            return Results.Ok(new { released = await commitments.ReleaseAsync(company, request.DocumentType, request.DocumentNo, ct) });
        }).WithName("ReleaseBudget").WithSummary("Ends a purchase request's or order's commitment once it is invoiced or cancelled (idempotent).");
    }

    private static void MapReports(RouteGroupBuilder erp)
    {
        var reports = erp.MapGroup("/reports").WithTags("Reports");
        reports.MapGet("/trial-balance", async (NpgsqlDataSource db, string? company, DateOnly from, DateOnly to, string? format) =>
        {
            await using var connection = await db.OpenConnectionAsync();
            var report = await TrialBalance.BuildAsync(connection, await CompanyResolution.ResolveAsync(connection, company), from, to);
            return format == "csv"
                ? Results.Text(Csv.Write(report.Rows, ("account", r => r.Account), ("name", r => r.Name), ("parent", r => r.Parent), ("is_group", r => r.IsGroup),
                    ("root_type", r => r.RootType), ("opening_debit", r => r.OpeningDebit), ("opening_credit", r => r.OpeningCredit),
                    ("debit", r => r.Debit), ("credit", r => r.Credit), ("closing_debit", r => r.ClosingDebit), ("closing_credit", r => r.ClosingCredit)), "text/csv")
                : Results.Ok(report);
        }).WithName("TrialBalance").WithSummary("Trial balance for a date range, rolled up the chart; `format=csv` for a spreadsheet.");
        reports.MapGet("/budget-variance", async (NpgsqlDataSource db, TimeProvider time, string? company, string fiscalYear, string? costCenter, DateOnly? asOf, string? format) =>
        {
            await using var connection = await db.OpenConnectionAsync();
            var report = await BudgetVariance.BuildAsync(connection, await CompanyResolution.ResolveAsync(connection, company), fiscalYear, costCenter,
                asOf ?? DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
            return format == "csv"
                ? Results.Text(Csv.Write(report.Rows.SelectMany(r => r.Months.Select(m => (r, m))),
                    ("cost_center", x => x.r.CostCenter), ("account", x => x.r.Account), ("month", x => x.m.Month), ("budget", x => x.m.Budget),
                    ("actual", x => x.m.Actual), ("variance", x => x.m.Variance), ("percent", x => x.m.Percent),
                    ("budget_to_date", x => x.m.BudgetToDate), ("actual_to_date", x => x.m.ActualToDate)), "text/csv")
                : Results.Ok(report);
        }).WithName("BudgetVariance").WithSummary("Budget, actual, variance and percent per budget, per month and year to date.");
        reports.MapGet("/profitability", async (NpgsqlDataSource db, string? company, DateOnly from, DateOnly to, string? format) =>
        {
            await using var connection = await db.OpenConnectionAsync();
            var report = await Profitability.BuildAsync(connection, await CompanyResolution.ResolveAsync(connection, company), from, to);
            return format == "csv"
                ? Results.Text(Csv.Write(report.Rows, ("cost_center", r => r.CostCenter), ("name", r => r.Name), ("parent", r => r.Parent),
                    ("income", r => r.Income), ("expense", r => r.Expense), ("profit", r => r.Profit)), "text/csv")
                : Results.Ok(report);
        }).WithName("Profitability").WithSummary("Income, expense and profit per cost center, rolled up the tree.");
    }
}
