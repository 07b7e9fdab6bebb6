using Integration.Workflows.Persistence;

namespace Integration.Host.Flows;

/// <summary>Publishes the flows of <c>Flows:Directory</c> (default <c>flows/</c> under the content root) when the host starts.</summary>
internal sealed class FlowsOnStart(FlowCatalog catalog, IConfiguration configuration, IHostEnvironment environment, ILogger<FlowsOnStart> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await catalog.LoadAsync(Path.Combine(environment.ContentRootPath, configuration["Flows:Directory"] ?? "flows"), cancellationToken);
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException)
        {
            // The host still starts (and reports not ready); flows are published on the next start.
            logger.LogWarning(ex, "Could not publish flows: the database does not answer");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
