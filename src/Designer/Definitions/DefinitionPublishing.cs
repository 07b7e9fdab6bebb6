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
    // The keys a file's isPublished flag is written after.
    private static readonly string[] IdentityKeys = ["$schema", "id", "definitionId", "name", "description", "version"];

    public sealed record Outcome(JsonObject? Definition, bool AlreadyPublished, IReadOnlyList<FlowProblem> Problems);

    public async Task<Outcome> SaveAsync(JsonObject model, bool publish, CancellationToken cancellationToken)
    {
        var definitionId = model["definitionId"]?.GetValue<string>() is { Length: > 0 } id ? id : await NewDefinitionIdAsync(model["name"]?.ToString(), cancellationToken);
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

    /// <summary>
    /// Imports a definition as a draft (as Elsa does), but only if it validates as the loader would load its file: an
    /// import that does not is refused with the loader's problems and nothing is saved.
    /// </summary>
    public async Task<Outcome> ImportAsync(JsonObject model, string? definitionId, CancellationToken cancellationToken)
    {
        var (id, text, problems) = await PrepareAsync(model, definitionId, cancellationToken);
        if (problems.Count > 0)
        {
            return new Outcome(null, false, problems);
        }

        await drafts.SaveAsync(id, text, cancellationToken);
        var flow = (await definitions.FindAsync(id, cancellationToken))!;
        return new Outcome(StudioDefinitions.Model(flow, flow.LatestVersion), false, []);
    }

    /// <summary>Checks a definition to import as the loader would (the file it would be written to, its problems), saving nothing.</summary>
    public async Task<(string DefinitionId, string Text, IReadOnlyList<FlowProblem> Problems)> PrepareAsync(JsonObject model, string? definitionId, CancellationToken cancellationToken)
    {
        model = (JsonObject)model.DeepClone();
        var id = definitionId is { Length: > 0 } ? definitionId
            : model["definitionId"] is JsonValue given && given.TryGetValue<string>(out var g) && g.Length > 0 ? g
            : await NewDefinitionIdAsync(model["name"]?.ToString(), cancellationToken);
        model["definitionId"] = id;
        var file = folder.FileFor(id);
        var merged = FlowFileMerge.Merge(model, ReadFile(file));
        merged["definitionId"] = id;
        var text = FlowFileFormat.Write(merged);
        return (id, text, loader.Load(text, Path.GetFileName(file)).Problems);
    }

    /// <summary>
    /// Makes an earlier version the flow's draft (Elsa's revert makes it the new latest version): the engineer looks at
    /// it and publishes it, which writes the file. Null when the flow has no such version.
    /// </summary>
    public async Task<JsonObject?> RevertAsync(string definitionId, int version, CancellationToken cancellationToken)
    {
        if (await definitions.FindAsync(definitionId, cancellationToken) is not { } flow)
        {
            return null;
        }

        var json = version == flow.PublishedVersion && flow.Published is not null ? flow.Published.ToJsonString()
            : version > 0 && version < flow.PublishedVersion ? await catalog.VersionJsonAsync(definitionId, version, cancellationToken)
            : null;
        if (json is null || JsonNode.Parse(json) is not JsonObject old)
        {
            return null;
        }

        await SaveAsync(old, publish: false, cancellationToken);
        var reverted = (await definitions.FindAsync(definitionId, cancellationToken))!;
        return StudioDefinitions.Summary(reverted, reverted.LatestVersion);
    }

    /// <summary>Publishes the draft of a flow, if it has one.</summary>
    public async Task<Outcome?> PublishDraftAsync(string definitionId, CancellationToken cancellationToken)
    {
        if (await definitions.FindAsync(definitionId, cancellationToken) is not { } flow)
        {
            return null;
        }

        if (flow.Draft is not null)
        {
            return await PublishAsync(definitionId, folder.FileFor(definitionId), FlowFileFormat.Write(flow.Draft), cancellationToken);
        }

        // A retracted flow is published again from its file, which then says nothing of isPublished.
        return flow.Retracted && ReadFile(flow.File!) is { } retracted
            ? await PublishAsync(definitionId, flow.File!, FlowFileFormat.Write(retracted), cancellationToken)
            : new Outcome(StudioDefinitions.Model(flow, flow.PublishedVersion), true, []);
    }

    /// <summary>
    /// Takes a flow out of service while its file stays in <c>flows/</c>: the file gets <c>"isPublished": false</c>
    /// (loaded and shown, but no trigger, schedule, event or webhook starts it, and execute is refused); runs already
    /// going finish. A draft is kept. Publishing the flow takes the flag out again.
    /// </summary>
    public async Task<RetractOutcome> RetractAsync(string definitionId, CancellationToken cancellationToken)
    {
        if (await definitions.FindAsync(definitionId, cancellationToken) is not { } flow)
        {
            return new RetractOutcome(null, RetractRefusal.Unknown);
        }

        if (flow.Published is null || flow.Retracted || ReadFile(flow.File!) is not { } file)
        {
            return new RetractOutcome(null, RetractRefusal.NotPublished);
        }

        WithPublishedFlag(file, false);
        await folder.WriteAndPublishAsync(flow.File!, FlowFileFormat.Write(file), cancellationToken);
        if (catalog.Find(definitionId) is not { Definition.IsPublished: false })
        {
            return new RetractOutcome(null, RetractRefusal.NotWritten);
        }

        if (flow.Draft is not null)
        {
            // The file's new version would make the draft stale: it is based on the retracted version now.
            await drafts.SaveAsync(definitionId, FlowFileFormat.Write(flow.Draft), cancellationToken);
        }

        var retracted = (await definitions.FindAsync(definitionId, cancellationToken))!;
        return new RetractOutcome(StudioDefinitions.Model(retracted, retracted.LatestVersion), null);
    }

    public enum RetractRefusal
    {
        Unknown,
        NotPublished,
        NotWritten,
    }

    public sealed record RetractOutcome(JsonObject? Definition, RetractRefusal? Refusal);

    /// <summary>
    /// Sets a file's <c>isPublished</c>: false is written (after the flow's identity and version, as Elsa orders it),
    /// true is written as no flag at all (a file is in service unless it says otherwise).
    /// </summary>
    internal static void WithPublishedFlag(JsonObject file, bool published)
    {
        if (published)
        {
            if (file["isPublished"] is JsonValue flag && flag.TryGetValue<bool>(out var value) && !value)
            {
                file.Remove("isPublished");
            }

            return;
        }

        if (file.ContainsKey("isPublished"))
        {
            file["isPublished"] = false;
            return;
        }

        var after = IdentityKeys.Select(file.IndexOf).DefaultIfEmpty(-1).Max();
        file.Insert(after + 1, "isPublished", false);
    }

    private async Task<Outcome> PublishAsync(string definitionId, string file, string text, CancellationToken cancellationToken)
    {
        // Publishing puts a retracted flow back in service.
        if (JsonNode.Parse(text) is JsonObject parsed && parsed["isPublished"] is JsonValue)
        {
            WithPublishedFlag(parsed, true);
            text = FlowFileFormat.Write(parsed);
        }

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
