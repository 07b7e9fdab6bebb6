using Integration.Workflows.Persistence;
using Integration.Workflows.Scheduling;

namespace Integration.Host.Flows;

/// <summary>
/// Publishes the flows of <c>Flows:Directory</c> (default <c>flows/</c> under the content root) when the host starts,
/// then watches the folder (unless <c>Flows:Watch</c> is false): a changed, added or removed file is validated and
/// published a moment after the last write; a file that does not validate is refused and its last good version
/// stays in service. Schedules follow the flows in service.
/// </summary>
internal sealed class FlowsDirectory(FlowCatalog catalog, IServiceProvider services, IConfiguration configuration, IHostEnvironment environment, ILogger<FlowsDirectory> logger)
    : IHostedService, IDisposable, Integration.Designer.IFlowFolder
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);
    private readonly SemaphoreSlim _reloading = new(1, 1);
    private FileSystemWatcher? _watcher;
    private Timer? _debounce;

    private string Folder => Path.Combine(environment.ContentRootPath, configuration["Flows:Directory"] ?? "flows");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await ReloadAsync(startup: true, cancellationToken);
        if (!configuration.GetValue("Flows:Watch", true) || !Directory.Exists(Folder))
        {
            return;
        }

        _debounce = new Timer(_ => _ = ReloadAsync(startup: false, CancellationToken.None));
        _watcher = new FileSystemWatcher(Folder, "*.json") { IncludeSubdirectories = true, NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size };
        _watcher.Changed += (_, _) => _debounce.Change(Quiet, Timeout.InfiniteTimeSpan);
        _watcher.Created += (_, _) => _debounce.Change(Quiet, Timeout.InfiniteTimeSpan);
        _watcher.Deleted += (_, _) => _debounce.Change(Quiet, Timeout.InfiniteTimeSpan);
        _watcher.Renamed += (_, _) => _debounce.Change(Quiet, Timeout.InfiniteTimeSpan);
        _watcher.EnableRaisingEvents = true;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (_watcher is not null)
        {
            _watcher.EnableRaisingEvents = false;
        }

        return Task.CompletedTask;
    }

    /// <summary>Publishes what the folder holds now (also used by the API after it writes a flow file).</summary>
    public async Task ReloadAsync(bool startup, CancellationToken cancellationToken)
    {
        await _reloading.WaitAsync(cancellationToken);
        try
        {
            await catalog.LoadAsync(Folder, cancellationToken);
            if (!startup && services.GetService<FlowSchedules>() is { } schedules)
            {
                await schedules.SyncAsync(cancellationToken);
            }
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException or IOException or Quartz.SchedulerException)
        {
            // The host still runs (and reports not ready); flows are published on the next change or start.
            logger.LogWarning(ex, "Could not publish flows from {Folder}", Folder);
        }
        finally
        {
            _reloading.Release();
        }
    }

    public string FileFor(string definitionId) =>
        catalog.Flows.FirstOrDefault(f => f.Definition?.DefinitionId == definitionId)?.File
        ?? Path.Combine(Folder, string.Concat(definitionId.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '-')) + ".json");

    /// <summary>Writes a flow file and publishes the folder now, not a moment later when the watcher sees it.</summary>
    public async Task WriteAndPublishAsync(string file, string text, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, text, cancellationToken);
        await ReloadAsync(startup: false, cancellationToken);
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _debounce?.Dispose();
        _reloading.Dispose();
    }
}
