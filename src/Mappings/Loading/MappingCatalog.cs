using System.Collections.Concurrent;
using System.Collections.Frozen;
using Integration.Mappings.Definitions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Integration.Mappings.Loading;

/// <summary>
/// The mappings in use, by id: loaded from a folder at start and again when a file changes (debounced). A file that
/// no longer validates is refused with its problems and the last good version of it stays in use.
/// </summary>
public sealed class MappingCatalog : IDisposable
{
    private readonly ConcurrentDictionary<string, MappingDefinition> _byId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IReadOnlyList<MappingProblem>> _refused = new(StringComparer.Ordinal);
    private readonly ILogger _logger;
    private readonly object _reloadLock = new();
    private FileSystemWatcher? _watcher;
    private Timer? _debounce;
    private volatile FrozenSet<(string System, string Entity)> _writtenSides = FrozenSet<(string System, string Entity)>.Empty;

    public MappingCatalog(ILogger<MappingCatalog>? logger = null)
    {
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    public string? Directory { get; private set; }

    public TimeSpan Debounce { get; init; } = TimeSpan.FromMilliseconds(300);

    public IReadOnlyCollection<MappingDefinition> Mappings => [.. _byId.Values.OrderBy(m => m.Id, StringComparer.Ordinal)];

    /// <summary>Files refused at the last load, with why (their last good version, if any, is still in use).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<MappingProblem>> Refused => _refused;

    /// <summary>Raised after each (re)load.</summary>
    public event Action<MappingCatalog>? Reloaded;

    public MappingDefinition Get(string id) =>
        _byId.TryGetValue(id, out var mapping) ? mapping : throw new KeyNotFoundException($"No mapping '{id}' is loaded{(Directory is null ? "" : $" from {Directory}")}.");

    public bool TryGet(string id, out MappingDefinition mapping) => _byId.TryGetValue(id, out mapping!);

    /// <summary>Adds (or replaces) a mapping, e.g. one loaded from a string in a test.</summary>
    public MappingCatalog Add(MappingDefinition mapping)
    {
        lock (_reloadLock)
        {
            _byId[mapping.Id] = mapping;
            _writtenSides = WrittenSides();
        }

        return this;
    }

    /// <summary>
    /// Whether a loaded mapping can write to this system's entity (<see cref="MappingDefinition.MayWriteTo"/>): where
    /// none can, no echo of ours can come from it, and its echo fingerprints need no look-up.
    /// </summary>
    public bool MayBeWritten(MappingSide side) => _writtenSides.Contains((side.System, side.Entity));

    /// <summary>Loads every <c>*.json</c> mapping of <paramref name="directory"/> (not the schema); with <paramref name="watch"/> reloads on change.</summary>
    public void Load(string directory, bool watch)
    {
        Directory = Path.GetFullPath(directory);
        Reload();
        if (watch && System.IO.Directory.Exists(Directory) && _watcher is null)
        {
            _debounce = new Timer(_ => Reload(), null, Timeout.Infinite, Timeout.Infinite);
            _watcher = new FileSystemWatcher(Directory, "*.json") { NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size };
            _watcher.Changed += (_, _) => Poke();
            _watcher.Created += (_, _) => Poke();
            _watcher.Deleted += (_, _) => Poke();
            _watcher.Renamed += (_, _) => Poke();
            _watcher.EnableRaisingEvents = true;
        }
    }

    /// <summary>Loads the folder again: valid files replace their mapping, refused ones keep the last good version.</summary>
    public void Reload()
    {
        if (Directory is null || !System.IO.Directory.Exists(Directory))
        {
            return;
        }

        lock (_reloadLock)
        {
            _refused.Clear();
            var files = Files(Directory);
            foreach (var gone in _byId.Values.Where(m => m.File.StartsWith(Directory, StringComparison.Ordinal) && !files.Contains(m.File)).ToList())
            {
                // The file was deleted (or renamed): its mapping goes with it.
                _byId.TryRemove(gone.Id, out _);
                _logger.LogInformation("Mapping {MappingId} removed: {File} is gone", gone.Id, gone.File);
            }

            foreach (var file in files)
            {
                MappingLoadResult result;
                try
                {
                    result = MappingLoader.LoadFile(file);
                }
                catch (IOException ex)
                {
                    // The editor is still writing it; the watcher fires again when it is done.
                    _refused[file] = [new MappingProblem(file, "$", ex.Message)];
                    continue;
                }

                if (!result.IsValid)
                {
                    _refused[file] = result.Problems;
                    foreach (var problem in result.Problems)
                    {
                        _logger.LogWarning("Mapping file refused, the last good version stays in use: {File} {JsonPath} {Reason}", problem.File, problem.JsonPath, problem.Message);
                    }

                    continue;
                }

                var mapping = result.Definition!;
                foreach (var renamed in _byId.Values.Where(m => m.File == file && m.Id != mapping.Id).ToList())
                {
                    _byId.TryRemove(renamed.Id, out _);
                }

                if (!_byId.TryGetValue(mapping.Id, out var existing) || existing.ContentHash != mapping.ContentHash)
                {
                    _byId[mapping.Id] = mapping;
                    _logger.LogInformation("Mapping {MappingId} version {Version} loaded from {File}", mapping.Id, mapping.Version, file);
                }
            }

            _writtenSides = WrittenSides();
        }

        Reloaded?.Invoke(this);
    }

    /// <summary>The mapping files of a folder: every <c>*.json</c> except the schema.</summary>
    public static IReadOnlyList<string> Files(string directory) =>
        [.. System.IO.Directory.GetFiles(directory, "*.json", SearchOption.TopDirectoryOnly)
            .Where(f => !f.EndsWith(".schema.json", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)];

    public void Dispose()
    {
        _watcher?.Dispose();
        _debounce?.Dispose();
    }

    // Keyed by the pair itself (ordinal), so the look-up on every mapped record allocates nothing.
    private FrozenSet<(string System, string Entity)> WrittenSides() =>
        _byId.Values.SelectMany(m => new[] { m.Left, m.Right }.Where(m.MayWriteTo)).Select(side => (side.System, side.Entity)).ToFrozenSet();

    private void Poke() => _debounce?.Change(Debounce, Timeout.InfiniteTimeSpan);
}
