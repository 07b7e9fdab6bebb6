using System.Reflection;

namespace Integration.Host.Database;

/// <summary>
/// The versioned SQL scripts of one part of the house (one schema each), embedded in that part's assembly under
/// <c>Migrations/NNNN_name.sql</c>. Scripts are journaled by file name in <c>{schema}.schema_versions</c>,
/// so they stay applied if the assembly or namespace is renamed.
/// </summary>
internal sealed record MigrationSet(string Schema, Assembly Assembly)
{
    public IReadOnlyList<(string Name, string Sql)> Scripts()
    {
        var scripts = new List<(string, string)>();
        foreach (var resource in Assembly.GetManifestResourceNames())
        {
            var marker = resource.LastIndexOf(".Migrations.", StringComparison.Ordinal);
            if (marker < 0 || !resource.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            using var stream = Assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            scripts.Add((resource[(marker + ".Migrations.".Length)..], reader.ReadToEnd()));
        }

        return [.. scripts.OrderBy(s => s.Item1, StringComparer.Ordinal)];
    }
}
