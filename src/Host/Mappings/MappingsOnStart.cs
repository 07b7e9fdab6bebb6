using Integration.Mappings.Loading;

namespace Integration.Host.Mappings;

/// <summary>
/// Loads the mappings of <c>Mappings:Directory</c> (default <c>mappings/</c> under the content root) when the host
/// starts, and reloads them on change unless <c>Mappings:Watch</c> is false.
/// </summary>
internal sealed class MappingsOnStart(MappingCatalog catalog, IConfiguration configuration, IHostEnvironment environment) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        catalog.Load(Path.Combine(environment.ContentRootPath, configuration["Mappings:Directory"] ?? "mappings"), configuration.GetValue("Mappings:Watch", true));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
