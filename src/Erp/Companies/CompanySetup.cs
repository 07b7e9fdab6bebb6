using Dapper;
using Integration.Erp.Accounts;
using Integration.Erp.CostCenters;
using Integration.Erp.FiscalYears;
using Npgsql;

namespace Integration.Erp.Companies;

/// <summary>Creates a company with the default chart, cost center tree and the fiscal year of a given date.</summary>
public sealed class CompanySetup(NpgsqlDataSource dataSource, TimeProvider time)
{
    public async Task<Company> CreateAsync(string id, string name, string currency, int precision, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > 20 || currency.Length != 3)
        {
            throw new ErpRuleException("invalid-company", "A company has an id of at most 20 characters and a 3-letter currency.", 400);
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await connection.ExecuteAsync(
                "INSERT INTO erp.company (id, name, currency, currency_precision) VALUES (@id, @name, @currency, @precision)",
                new { id, name, currency = currency.ToUpperInvariant(), precision }, transaction);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new ErpRuleException("duplicate-company", $"Company '{id}' exists.", 409);
        }

        foreach (var a in DefaultChart.Accounts)
        {
            await AccountStore.CreateAsync(connection, transaction, new Account(id, a.Id, a.Name, a.Parent, a.IsGroup, a.RootType, a.AccountType, false));
        }

        foreach (var c in DefaultChart.CostCenters(id))
        {
            await CostCenterStore.CreateAsync(connection, transaction, new CostCenter(id, c.Id, c.Name, c.Parent, c.IsGroup, false));
        }

        await connection.ExecuteAsync(
            "UPDATE erp.company SET round_off_account = @roundOff, default_cost_center = @costCenter, "
            + "stock_adjustment_account = @stockAdjustment, stock_received_not_billed_account = @receivedNotBilled, "
            + "receivable_account = @receivable, output_tax_account = @outputTax, retained_earnings_account = @retainedEarnings WHERE id = @id",
            new
            {
                id, roundOff = DefaultChart.RoundOffAccount, costCenter = DefaultChart.DefaultCostCenter,
                stockAdjustment = DefaultChart.StockAdjustmentAccount, receivedNotBilled = DefaultChart.StockReceivedNotBilledAccount,
                receivable = DefaultChart.ReceivableAccount, outputTax = DefaultChart.OutputTaxAccount, retainedEarnings = DefaultChart.RetainedEarningsAccount,
            },
            transaction);
        foreach (var g in DefaultChart.ItemGroups)
        {
            await Items.ItemStore.CreateGroupAsync(connection, transaction, new Items.ItemGroup(id, g.Id, g.Name, g.Parent, g.IsGroup, g.Income, g.Cogs, g.Stock, null));
        }

        foreach (var w in DefaultChart.Warehouses)
        {
            await Warehouses.WarehouseStore.CreateAsync(connection, transaction, new Warehouses.Warehouse(id, w.Id, w.Name, w.Parent, w.IsGroup, w.StockAccount));
        }
        var year = time.GetUtcNow().Year;
        await FiscalYearStore.CreateAsync(connection, transaction, id, year.ToString(System.Globalization.CultureInfo.InvariantCulture),
            new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));
        await transaction.CommitAsync(cancellationToken);
        return await CompanyStore.GetAsync(connection, id);
    }

    /// <summary>On first start: a company for the retailer to begin with, if there is none.</summary>
    public async Task EnsureDefaultAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // Serialize hosts starting together; the second finds the company made.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(7301)", transaction: transaction);
        if (await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM erp.company)", transaction: transaction))
        {
            return;
        }

        await CreateAsync("EG01", "My Retail Company", "EGP", 2, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
