namespace Integration.Host.Database;

/// <summary>Applies pending migrations before the host starts serving (unless <c>Database:MigrateOnStart</c> is false).</summary>
internal sealed class MigrateOnStart(IConfiguration configuration, Serilog.ILogger log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (configuration.GetValue("Database:MigrateOnStart", true))
        {
            await new DatabaseMigrator(DatabaseConnection.Resolve(configuration), MigrationCatalog.All, log).MigrateAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
