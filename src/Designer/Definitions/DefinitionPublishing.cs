using System.Text.Json;
using System.Text.Json.Nodes;
using Integration.Workflows.Loading;
using Integration.Workflows.Model;
using Integration.Workflows.Persistence;

namespace Integration.Designer.Definitions;

/// <summary>
/// Saving from the designer. A draft is kept in <c>flows.draft</c> (it never runs, and may not validate yet); publishing
/// merges the definition into its file in <c>flows/</c>, checks it as the loader does and writes it, and the folder
/// publishes it as the version in service. A definition that does not validate is refused with the loader's problems.
/// </summary>
internal sealed class DefinitionPublishing(StudioDefinitions definitions, FlowDrafts drafts, FlowLoader loader, FlowCatalog catalog, IFlowFolder folder)
{
    public sealed record Outcome(JsonObject? Definition, bool AlreadyPublished, IReadOnlyList<FlowProblem> Problems);

    public async Task<Outcome> SaveAsync(JsonObject model, bool publish, CancellationToken cancellationToken)
    {
        var definitionId = model["definitionId"]?.GetValue<string>() is { Length: > 0 } id ? id : await NewDefinitionIdAsync(model["name"]?.GetValue<string>(), cancellationToken);
        model["definitionId"] = definitionId;
        var file = folder.FileFor(definitionId);
        var merged = FlowFileMerge.Merge(model, ReadFile(file));
        merged["definitionId"] = definitionId;
        var text = FlowFileFormat.Write(merged);
        if (publish)
        {
            return await PublishAsync(definitionId, file, text, cancellationToken);
        }

        await drafts.SaveAsync(definitionId, text, cancellationToken);
        var flow = (await definitions.FindAsync(definitionId, cancellationToken))!;
        return new Outcome(StudioDefinitions.Model(flow, flow.LatestVersion), false, []);
    }

    /// <summary>Publishes the draft of a flow, if it has one.</summary>
    public async Task<Outcome?> PublishDraftAsync(string definitionId, CancellationToken cancellationToken)
    {
        if (await definitions.FindAsync(definitionId, cancellationToken) is not { } flow)
        {
            return null;
        }

        return flow.Draft is null
            ? new Outcome(StudioDefinitions.Model(flow, flow.PublishedVersion), true, [])
            : await PublishAsync(definitionId, folder.FileFor(definitionId), FlowFileFormat.Write(flow.Draft), cancellationToken);
    }

    private async Task<Outcome> PublishAsync(string definitionId, string file, string text, CancellationToken cancellationToken)
    {
        var check = loader.Load(text, Path.GetFileName(file));
        if (!check.IsValid)
        {
            return new Outcome(null, false, check.Problems);
        }

        var alreadyPublished = File.Exists(file) && await File.ReadAllTextAsync(file, cancellationToken) == text
            && catalog.Flows.Any(f => f.File == file && f.Problems.Count == 0);
        if (!alreadyPublished)
        {
            await folder.WriteAndPublishAsync(file, text, cancellationToken);
        }

        var published = catalog.Flows.FirstOrDefault(f => f.File == file);
        if (published is null || published.Problems.Count > 0)
        {
            return new Outcome(null, false, published?.Problems ?? [new FlowProblem(file, "$", "the flow was written but not published (see the host's log)")]);
        }

        await drafts.DeleteAsync(definitionId, cancellationToken);
        var flow = (await definitions.FindAsync(definitionId, cancellationToken))!;
        return new Outcome(StudioDefinitions.Model(flow, flow.PublishedVersion), alreadyPublished, []);
    }

    private static JsonObject? ReadFile(string file)
    {
        try
        {
            return File.Exists(file) ? JsonNode.Parse(File.ReadAllText(file).TrimStart('\uFEFF')) as JsonObject : null;
        }
        catch (JsonException)
        {
            return null; // A broken file is replaced by what the designer has.
        }
    }

    /// <summary>A definition id for a new flow, from its name: "Order follow-up" becomes order-follow-up.</summary>
    private async Task<string> NewDefinitionIdAsync(string? name, CancellationToken cancellationToken)
    {
        var slug = string.Join('-', new string([.. (name ?? "flow").ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : ' ')])
            .Split(' ', StringSplitOptions.RemoveEmptyEntries));
        slug = slug.Length == 0 ? "flow" : slug;
        var taken = (await definitions.ListAsync(cancellationToken)).Select(f => f.DefinitionId).ToHashSet(StringComparer.Ordinal);
        var candidate = slug;
        for (var i = 2; taken.Contains(candidate) || File.Exists(folder.FileFor(candidate)); i++)
        {
            candidate = $"{slug}-{i}";
        }

        return candidate;
    }
}
