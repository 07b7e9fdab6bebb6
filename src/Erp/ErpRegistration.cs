using Integration.Erp.Budgets;
using Integration.Erp.Companies;
using Integration.Erp.Ledger;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Integration.Erp;

/// <summary>Registers the ERP core. Needs an <c>NpgsqlDataSource</c> in the container.</summary>
public static class ErpRegistration
{
    public static IServiceCollection AddErp(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<CompanySetup>();
        services.AddSingleton<JournalEntries>();
        services.AddSingleton<BudgetCommitments>();
        services.AddSingleton<Stock.StockEntries>();
        services.AddSingleton<Sales.SalesDocuments>();
        services.AddSingleton<Customers.CustomerRegister>();
        services.AddSingleton<Stock.StockFeed>();
        services.AddSingleton<Prices.PriceBook>();
        services.AddSingleton<Items.ItemCatalogue>();
        services.AddSingleton<Purchasing.PurchaseOrders>();
        services.AddHostedService<DefaultCompanySeed>();
        services.AddSingleton<FiscalYears.NextFiscalYears>();
        services.AddHostedService(sp => sp.GetRequiredService<FiscalYears.NextFiscalYears>());
        return services;
    }

    /// <summary>The ERP's SQL migrations live in this assembly (schema <c>erp</c>).</summary>
    public static System.Reflection.Assembly MigrationsAssembly => typeof(ErpRegistration).Assembly;

    private sealed class DefaultCompanySeed(CompanySetup setup, IConfiguration configuration, ILogger<CompanySetup> logger) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            if (!configuration.GetValue("Erp:SeedDefaultCompany", true))
            {
                return;
            }

            try
            {
                await setup.EnsureDefaultAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                // The host still starts (and reports not ready); the next start seeds.
                logger.LogWarning(ex, "Could not seed the default company: the database does not answer");
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
