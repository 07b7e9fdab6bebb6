using System.Diagnostics;
using System.Globalization;
using Dapper;
using Microsoft.Extensions.Configuration;
using Integration.Erp.Budgets;
using Integration.Erp.Companies;
using Integration.Erp.FiscalYears;
using Integration.Erp.Ledger;
using Integration.Erp.Sales;
using Integration.Erp.Stock;
using Integration.Host.Database;
using Npgsql;

// Usage: Integration.Erp.Bench --database-url postgresql://... [--seconds 10] | [--prices 10000 [--each]]
var url = args[Array.IndexOf(args, "--database-url") + 1];
var seconds = args.Contains("--seconds") ? int.Parse(args[Array.IndexOf(args, "--seconds") + 1], CultureInfo.InvariantCulture) : 10;
var connectionString = DatabaseConnection.Resolve(new ConfigurationBuilder()
    .AddInMemoryCollection([new("DATABASE_URL", url)]).Build());
await new DatabaseMigrator(connectionString, MigrationCatalog.All).MigrateAsync(CancellationToken.None);
await using var dataSource = new NpgsqlDataSourceBuilder(connectionString) { ConnectionStringBuilder = { MaxPoolSize = 40 } }.Build();

var year = DateTime.UtcNow.Year;
var company = "BENCH" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
await new CompanySetup(dataSource, TimeProvider.System).CreateAsync(company, "Bench retailer", "EGP", 2, CancellationToken.None);
if (args.Contains("--prices"))
{
    await PricePages.RunAsync(dataSource, company, int.Parse(args[Array.IndexOf(args, "--prices") + 1], CultureInfo.InvariantCulture), args.Contains("--each"));
    return;
}

await using (var connection = await dataSource.OpenConnectionAsync())
{
    // One Stop budget on MAIN (all writers contend for it) and one per cost center CC-1..CC-8 (one per writer).
    await BudgetStore.CreateAsync(connection, new Budget(0, company, year.ToString(CultureInfo.InvariantCulture), "MAIN", "5220",
        1_000_000_000m, null, "Stop", "Warn", 80m));
    for (var c = 1; c <= 8; c++)
    {
        await Integration.Erp.CostCenters.CostCenterStore.CreateAsync(connection, null,
            new Integration.Erp.CostCenters.CostCenter(company, $"CC-{c}", $"Branch {c}", company, false, false));
        await BudgetStore.CreateAsync(connection, new Budget(0, company, year.ToString(CultureInfo.InvariantCulture), $"CC-{c}", "5220",
            1_000_000_000m, null, "Stop", "Warn", 80m));
    }
}

var entries = new JournalEntries(dataSource);
Voucher ThreeLines(int i, string costCenter) => new(company, "Journal Entry", new DateOnly(year, 1 + (i % 12), 1 + (i % 28)),
[
    new VoucherLine("5220", Debit: 100m + (i % 50), CostCenter: costCenter),
    new VoucherLine("1170", Debit: 14m),
    new VoucherLine("1120", Credit: 114m + (i % 50)),
], "bench");

Console.WriteLine($"Ledger benchmark: {Environment.ProcessorCount} cores, PostgreSQL at {DatabaseConnection.Describe(connectionString)}");
Console.WriteLine();
Console.WriteLine("Budget check of one voucher (lock the budget, read spent and committed), in a transaction rolled back:");
Console.WriteLine("| GL entries | checks | p50 us | p99 us | mean us |");
Console.WriteLine("|---:|---:|---:|---:|---:|");
foreach (var target in new[] { 10_000L, 1_000_000L })
{
    await FillGlAsync(target);
    var latencies = await MeasureChecksAsync(3000);
    latencies.Sort();
    var glEntries = await CountGlAsync();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {glEntries:N0} | {latencies.Count} | {latencies[latencies.Count / 2]:0} | {latencies[(int)(latencies.Count * 0.99)]:0} | {latencies.Average():0} |"));
}

Console.WriteLine();
Console.WriteLine("Posting 3-line vouchers (expense with a Stop budget check, VAT, bank) through JournalEntries, with 1M GL entries present:");
Console.WriteLine("| writers | budgets | vouchers/s | p50 ms | p99 ms |");
Console.WriteLine("|---:|---|---:|---:|---:|");
foreach (var (writers, shared) in new[] { (1, true), (8, true), (8, false) })
{
    await Drive(writers, shared, TimeSpan.FromSeconds(1)); // warm-up
    var (count, latencies, elapsed) = await Drive(writers, shared, TimeSpan.FromSeconds(seconds));
    latencies.Sort();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {writers} | {(shared ? "one shared" : "one per writer")} | {count / elapsed:0} | {latencies[latencies.Count / 2]:0.00} | {latencies[(int)(latencies.Count * 0.99)]:0.00} |"));
}

// Sales invoices: 3 stock lines from MAIN-WH, update stock, COGS budget check on ONLINE; each writer sells its own items.
var sales = new SalesDocuments(dataSource);
await using (var connection = await dataSource.OpenConnectionAsync())
{
    await BudgetStore.CreateAsync(connection, new Budget(0, company, year.ToString(CultureInfo.InvariantCulture), "ONLINE", "5100",
        1_000_000_000m, null, "Stop", "Warn", 80m));
    await connection.ExecuteAsync("INSERT INTO erp.customer (company, id, name) VALUES (@company, 'WALK-IN', 'Walk-in customer')", new { company });
}

var skus = Enumerable.Range(1, 24).Select(i => $"SKU-{i:D3}").ToArray();
foreach (var sku in skus)
{
    await using var connection = await dataSource.OpenConnectionAsync();
    await Integration.Erp.Items.ItemStore.CreateAsync(connection, new Integration.Erp.Items.Item(company, sku, sku, "PRODUCTS", "Nos", null, "Active", true,
        "Moving Average", false, null, new Dictionary<string, System.Text.Json.JsonElement>(), []));
}

await new StockEntries(dataSource).PostAsync(new StockEntryRequest(company, "Receipt", new DateOnly(year, 1, 1),
    [.. skus.Select(sku => new StockEntryLine(sku, 1_000_000, 50m, "MAIN-WH"))]), null, CancellationToken.None);

Console.WriteLine();
Console.WriteLine("Sales invoices (3 stock lines, VAT, update stock with COGS, budget check), each in its own committed transaction:");
Console.WriteLine("| writers | invoices/s | p50 ms | p99 ms |");
Console.WriteLine("|---:|---:|---:|---:|");
foreach (var writers in new[] { 1, 8 })
{
    await SellAsync(writers, TimeSpan.FromSeconds(1));
    var (count, latencies, elapsed) = await SellAsync(writers, TimeSpan.FromSeconds(seconds));
    latencies.Sort();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {writers} | {count / elapsed:0} | {latencies[latencies.Count / 2]:0.00} | {latencies[(int)(latencies.Count * 0.99)]:0.00} |"));
}

async Task<(int Count, List<double> Latencies, double Seconds)> SellAsync(int writers, TimeSpan duration)
{
    var stopwatch = Stopwatch.StartNew();
    var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
    var results = await Task.WhenAll(Enumerable.Range(0, writers).Select(async w =>
    {
        var latencies = new List<double>();
        var mine = skus.Skip(w * 3).Take(3).ToArray();
        for (var i = 0; Stopwatch.GetTimestamp() < deadline; i++)
        {
            var started = Stopwatch.GetTimestamp();
            // Sales arrive in date order (a back-dated sale would re-value every later movement of its items).
            await sales.CreateInvoiceAsync(new SalesInvoiceRequest(company, "WALK-IN", new DateOnly(year, 6, 1),
                [.. mine.Select(sku => new SalesLineInput(sku, 1 + (i % 3), 120m))], "MAIN-WH", CostCenter: "ONLINE"), CancellationToken.None);
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return latencies;
    }));
    var all = results.SelectMany(r => r).ToList();
    return (all.Count, all, stopwatch.Elapsed.TotalSeconds);
}

async Task<(int Count, List<double> Latencies, double Seconds)> Drive(int writers, bool sharedBudget, TimeSpan duration)
{
    var stopwatch = Stopwatch.StartNew();
    var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
    var results = await Task.WhenAll(Enumerable.Range(0, writers).Select(async w =>
    {
        var latencies = new List<double>();
        for (var i = w; Stopwatch.GetTimestamp() < deadline; i += writers)
        {
            var started = Stopwatch.GetTimestamp();
            await entries.CreateAsync(ThreeLines(i, sharedBudget ? "MAIN" : $"CC-{w + 1}"), null, post: true, CancellationToken.None);
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return latencies;
    }));
    var all = results.SelectMany(r => r).ToList();
    return (all.Count, all, stopwatch.Elapsed.TotalSeconds);
}

async Task<long> CountGlAsync()
{
    await using var connection = await dataSource.OpenConnectionAsync();
    return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM erp.gl_entry");
}

// Adds GL entries (balanced pairs over the year, accounts and cost centers) and their running balances in bulk,
// as if that many lines had been posted before.
async Task FillGlAsync(long target)
{
    var missing = target - await CountGlAsync();
    if (missing <= 0)
    {
        return;
    }

    await using var connection = await dataSource.OpenConnectionAsync();
    var voucherId = await connection.ExecuteScalarAsync<long>("""
        INSERT INTO erp.voucher (company, voucher_type, voucher_no, posting_date, status, remarks)
        VALUES (@company, 'Journal Entry', @no, @date, 'posted', 'bulk history') RETURNING id
        """, new { company, no = "BULK-" + target, date = new DateOnly(year, 1, 1) });
    await connection.ExecuteAsync("""
        INSERT INTO erp.gl_entry (company, voucher_id, voucher_type, voucher_no, line_no, posting_date, account, cost_center,
                                  debit, credit, transaction_currency, debit_in_transaction_currency, credit_in_transaction_currency)
        SELECT @company, @voucherId, 'Journal Entry', 'BULK-' || @target, n::int,
               make_date(@year, 1 + (n % 12)::int, 1 + (n % 28)::int),
               CASE WHEN n % 2 = 0 THEN (ARRAY['5210','5220','5230','5240','5250'])[1 + (n / 2 % 5)::int] ELSE '1120' END,
               CASE WHEN n % 2 = 0 THEN (ARRAY['MAIN','ONLINE','SHOP-CAIRO'])[1 + (n / 2 % 3)::int] END,
               CASE WHEN n % 2 = 0 THEN 10 ELSE 0 END, CASE WHEN n % 2 = 0 THEN 0 ELSE 10 END,
               'EGP', CASE WHEN n % 2 = 0 THEN 10 ELSE 0 END, CASE WHEN n % 2 = 0 THEN 0 ELSE 10 END
        FROM generate_series(1, @missing) AS n
        """, new { company, voucherId, target, year, missing }, commandTimeout: 600);
    await connection.ExecuteAsync("""
        INSERT INTO erp.gl_balance AS b (company, account, cost_center, month, debit, credit)
        SELECT company, account, coalesce(cost_center, ''), date_trunc('month', posting_date)::date, sum(debit), sum(credit)
        FROM erp.gl_entry WHERE voucher_id = @voucherId
        GROUP BY company, account, coalesce(cost_center, ''), date_trunc('month', posting_date)
        ON CONFLICT (company, account, cost_center, month, slot) DO UPDATE SET debit = b.debit + excluded.debit, credit = b.credit + excluded.credit
        """, new { voucherId }, commandTimeout: 600);
    await connection.ExecuteAsync("ANALYZE erp.gl_entry; ANALYZE erp.gl_balance;");
}

async Task<List<double>> MeasureChecksAsync(int count)
{
    var latencies = new List<double>(count);
    await using var connection = await dataSource.OpenConnectionAsync();
    var companyRow = await CompanyStore.GetAsync(connection, company);
    for (var i = 0; i < count + 200; i++)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        var date = new DateOnly(year, 1 + (i % 12), 15);
        var started = Stopwatch.GetTimestamp();
        var fiscalYear = await FiscalYearStore.OpenYearForAsync(connection, transaction, company, date);
        await BudgetCheck.CheckAsync(connection, transaction, companyRow, fiscalYear, date, [("5220", "MAIN", 114m)], CancellationToken.None);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
        await transaction.RollbackAsync();
        if (i >= 200)
        {
            latencies.Add(elapsed); // the first 200 warm up JIT and plans
        }
    }

    return latencies;
}
