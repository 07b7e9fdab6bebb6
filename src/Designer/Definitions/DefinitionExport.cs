using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Integration.Workflows.Model;
using Integration.Workflows.Persistence;

namespace Integration.Designer.Definitions;

/// <summary>
/// A flow version as a file to download: the version in service is its file in <c>flows/</c> as it is on disk, the
/// draft and older versions are written as the designer writes files (<see cref="FlowFileFormat"/>).
/// </summary>
internal sealed class DefinitionExport(StudioDefinitions definitions, FlowCatalog catalog)
{
    public sealed record Export(string FileName, string Text);

    /// <summary>One version by Elsa's version options (Latest by default, as Elsa exports), or null.</summary>
    public async Task<Export?> ExportAsync(string definitionId, string? versionOptions, CancellationToken cancellationToken)
    {
        if (await definitions.FindAsync(definitionId, cancellationToken) is not { } flow)
        {
            return null;
        }

        var version = (versionOptions ?? "Latest") switch
        {
            "Latest" or "LatestOrPublished" or "LatestAndPublished" or "" => flow.LatestVersion,
            "Published" => flow.Published is null ? -1 : flow.PublishedVersion,
            "Draft" => flow.Draft is null ? -1 : flow.LatestVersion,
            var number => int.TryParse(number, out var n) ? n : -1,
        };
        return await ExportAsync(flow, version, cancellationToken);
    }

    /// <summary>Versions by their ids (<c>{definitionId}~{version}</c>) in one zip, each as <c>{definitionId}.json</c> (or with <c>.v{n}</c> when a flow has more than one).</summary>
    public async Task<byte[]?> ZipAsync(IEnumerable<string> versionIds, CancellationToken cancellationToken)
    {
        var exports = new List<Export>();
        foreach (var id in versionIds.Distinct(StringComparer.Ordinal))
        {
            var split = id.LastIndexOf('~');
            if (split > 0 && int.TryParse(id[(split + 1)..], out var version) && await definitions.FindAsync(id[..split], cancellationToken) is { } flow
                && await ExportAsync(flow, version, cancellationToken) is { } export)
            {
                exports.Add(export);
            }
        }

        if (exports.Count == 0)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var group in exports.GroupBy(e => e.FileName))
            {
                foreach (var (export, n) in group.Select((e, n) => (e, n)))
                {
                    var name = n == 0 ? export.FileName : $"{Path.GetFileNameWithoutExtension(export.FileName)}.{n + 1}.json";
                    // In memory: nothing to wait for.
                    using var entry = zip.CreateEntry(name).Open();
                    entry.Write(Encoding.UTF8.GetBytes(export.Text));
                }
            }
        }

        return buffer.ToArray();
    }

    private async Task<Export?> ExportAsync(StudioDefinitions.Flow flow, int version, CancellationToken cancellationToken)
    {
        var fileName = flow.File is null ? $"{flow.DefinitionId}.json" : Path.GetFileName(flow.File);
        if (flow.Draft is not null && version == flow.LatestVersion)
        {
            return new Export(fileName, FlowFileFormat.Write(flow.Draft));
        }

        if (flow.Published is not null && version == flow.PublishedVersion)
        {
            return new Export(fileName, flow.File is not null && File.Exists(flow.File)
                ? await File.ReadAllTextAsync(flow.File, cancellationToken)
                : FlowFileFormat.Write(flow.Published));
        }

        return version > 0 && version < flow.PublishedVersion && await catalog.VersionJsonAsync(flow.DefinitionId, version, cancellationToken) is { } json
            ? new Export($"{Path.GetFileNameWithoutExtension(fileName)}.v{version}.json", FlowFileFormat.Write(JsonNode.Parse(json)))
            : null;
    }
}
