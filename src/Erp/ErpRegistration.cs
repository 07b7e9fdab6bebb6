using Integration.Erp.Budgets;
using Integration.Erp.Companies;
using Integration.Erp.Ledger;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

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
        services.AddHostedService<DefaultCompanySeed>();
        return services;
    }

    /// <summary>The ERP's SQL migrations live in this assembly (schema <c>erp</c>).</summary>
    public static System.Reflection.Assembly MigrationsAssembly => typeof(ErpRegistration).Assembly;

    private sealed class DefaultCompanySeed(CompanySetup setup, IConfiguration configuration) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) =>
            configuration.GetValue("Erp:SeedDefaultCompany", true) ? setup.EnsureDefaultAsync(cancellationToken) : Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
