using System.Text.Json.Nodes;
using Integration.Mappings.Definitions;
using Integration.Mappings.Echoes;
using Integration.Mappings.KeyMaps;
using Integration.Mappings.Loading;
using Integration.Mappings.Transforms;

namespace Integration.Mappings.Engine;

/// <summary>
/// Applies mappings. <see cref="ApplyAsync(string, MappingDirection, JsonNode, JsonNode?, MappingContext?)"/> maps a
/// source document onto the target's current record (null when it is new), writing only the fields whose master is the
/// source side (or both, as the conflict rule decides; or any field marked <c>seedOnCreate</c> when the target is new),
/// dropping echoes of the host's own writes, and reporting every field written, skipped or failed.
/// </summary>
public sealed class Mapper(MappingCatalog catalog, IKeyMap keyMap, IEchoGuard echoGuard, TimeProvider time)
{
    public MappingCatalog Catalog => catalog;

    public ValueTask<MappingResult> ApplyAsync(string mappingId, MappingDirection direction, JsonNode source, JsonNode? targetCurrent, MappingContext? context = null) =>
        ApplyAsync(catalog.Get(mappingId), direction, source, targetCurrent, context);

    /// <summary>Applies the mapping from <paramref name="sourceSystem"/> to the other system of the mapping.</summary>
    public ValueTask<MappingResult> ApplyAsync(string mappingId, string sourceSystem, JsonNode source, JsonNode? targetCurrent, MappingContext? context = null)
    {
        var mapping = catalog.Get(mappingId);
        return ApplyAsync(mapping, mapping.DirectionFrom(sourceSystem), source, targetCurrent, context);
    }

    public async ValueTask<MappingResult> ApplyAsync(MappingDefinition mapping, MappingDirection direction, JsonNode source, JsonNode? targetCurrent, MappingContext? context = null)
    {
        context ??= MappingContext.Empty;
        var sourceSide = mapping.Source(direction);
        var targetSide = mapping.Target(direction);
        var sourceId = context.SourceId ?? JsonValues.Text(sourceSide.IdPath?.Read(source));
        var targetId = context.TargetId ?? (targetCurrent is null ? null : JsonValues.Text(targetSide.IdPath?.Read(targetCurrent)));
        var echoes = sourceId is null || !MayHoldFingerprints(mapping, sourceSide) ? EchoSet.Empty
            : await echoGuard.RecentAsync(sourceSide.System, sourceSide.Entity, EchoFingerprint.RecordKey(context.Store, sourceId), context.CancellationToken);
        // What we last wrote to the target: where it still holds that, only the source changed a field both master.
        var targetWrites = targetId is null || !MastersBoth(mapping) || !MayHoldFingerprints(mapping, targetSide) ? EchoSet.Empty
            : await echoGuard.RecentAsync(targetSide.System, targetSide.Entity, EchoFingerprint.RecordKey(context.Store, targetId), context.CancellationToken);
        var changes = TargetChanges.Rent();
        var run = new MappingRun(mapping, direction, source, targetCurrent as JsonObject, context, keyMap, echoes, targetWrites, changes);
        await run.FieldsAsync(run.Plan.Fields, source, targetCurrent as JsonObject, TargetChanges.Root, null, null);
        for (var i = 0; i < mapping.Arrays.Count; i++)
        {
            await run.ArrayAsync(i);
        }

        // The changes are kept as UTF-8 JSON; the result makes nodes of them (and the document) only when asked.
        var changesUtf8 = changes.IsEmpty ? null : changes.ToUtf8();
        changes.Return();
        if (run.Echoes is { Count: > 0 } consumed && context.ConsumeEchoes)
        {
            await echoGuard.ConsumeAsync(consumed, context.CancellationToken);
        }

        return run.Result(sourceId, targetId, targetCurrent, changesUtf8);
    }

    /// <summary>
    /// Fingerprints are left only by mapped writes. A side no mapping writes to (a store's orders, which the store
    /// masters field by field) holds none, so its look-up is skipped: one round trip per order and mapping.
    /// </summary>
    private bool MayHoldFingerprints(MappingDefinition mapping, MappingSide side) => catalog.MayBeWritten(side) || mapping.MayWriteTo(side);

    private static bool MastersBoth(MappingDefinition mapping)
    {
        if (MastersBoth(mapping.Fields))
        {
            return true;
        }

        for (var i = 0; i < mapping.Arrays.Count; i++)
        {
            if (mapping.Arrays[i].Master == FieldMaster.Both || MastersBoth(mapping.Arrays[i].Fields))
            {
                return true;
            }
        }

        return false;
    }

    private static bool MastersBoth(IReadOnlyList<FieldMapping> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (fields[i].Master == FieldMaster.Both)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Records the fingerprints of a result whose changes the target accepted (call after the write).</summary>
    public ValueTask RecordWrittenAsync(MappingResult result, string targetRecordId, CancellationToken cancellationToken = default) =>
        result.Written.Count == 0 ? ValueTask.CompletedTask : echoGuard.RecordAsync(result.Fingerprints(targetRecordId, time.GetUtcNow()), cancellationToken);

    /// <summary>
    /// Finds the source record's counterpart: through the key map, then by the mapping's match fields (email, phone...).
    /// Several candidates, or one found by match when the mapping says <c>flagDuplicate</c>, are reported as possible duplicates.
    /// </summary>
    public async ValueTask<IdentityMatch> IdentifyAsync(string mappingId, MappingDirection direction, JsonNode source, MappingContext? context = null)
    {
        var mapping = catalog.Get(mappingId);
        context ??= MappingContext.Empty;
        var sourceSide = mapping.Source(direction);
        var targetSide = mapping.Target(direction);
        var sourceId = context.SourceId ?? JsonValues.Text(sourceSide.IdPath?.Read(source));
        var ct = context.CancellationToken;
        if (mapping.Identity.UseKeyMap && sourceId is not null)
        {
            var found = targetSide.System == KeyMapTransform.Erp
                ? await keyMap.FindErpIdAsync(sourceSide.System, targetSide.Entity, context.Store, sourceId, ct)
                : await keyMap.FindExternalIdAsync(targetSide.System, sourceSide.Entity, context.Store, sourceId, ct);
            if (found is not null)
            {
                return new IdentityMatch(sourceId, found, "keyMap", []);
            }
        }

        if (targetSide.System != KeyMapTransform.Erp)
        {
            return new IdentityMatch(sourceId, null, null, []);
        }

        var candidates = new List<(string Id, string By)>();
        foreach (var match in mapping.Identity.Match)
        {
            var path = direction == MappingDirection.LeftToRight ? match.Left : match.Right;
            if (MatchValue.Normalize(match.Name, JsonValues.Text(path.Read(source))) is not { } value)
            {
                continue;
            }

            foreach (var id in await keyMap.FindByMatchValueAsync(targetSide.Entity, match.Name, value, ct))
            {
                if (candidates.All(c => c.Id != id))
                {
                    candidates.Add((id, match.Name));
                }
            }
        }

        return candidates.Count switch
        {
            0 => new IdentityMatch(sourceId, null, null, []),
            1 when mapping.Identity.LinkOnMatch => new IdentityMatch(sourceId, candidates[0].Id, candidates[0].By, []),
            _ => new IdentityMatch(sourceId, null, null, [.. candidates.Select(c => c.Id)]),
        };
    }

    /// <summary>
    /// Whether a record of the target system still carries the source's value of the match field <paramref name="matchName"/>.
    /// A remembered match value may be stale (the record's email changed since) or belong to a record of another company
    /// with the same id, so a record found by match is confirmed against what it holds now before it is taken.
    /// </summary>
    public bool SharesMatchValue(string mappingId, MappingDirection direction, JsonNode source, JsonNode target, string matchName)
    {
        var match = catalog.Get(mappingId).Identity.Match.FirstOrDefault(m => m.Name == matchName);
        if (match is null)
        {
            return false;
        }

        var (sourcePath, targetPath) = direction == MappingDirection.LeftToRight ? (match.Left, match.Right) : (match.Right, match.Left);
        return MatchValue.Normalize(matchName, JsonValues.Text(sourcePath.Read(source))) is { } value
            && value == MatchValue.Normalize(matchName, JsonValues.Text(targetPath.Read(target)));
    }

    /// <summary>Links a source record to its counterpart in the key map and remembers its identifying values (for duplicate detection).</summary>
    public async ValueTask LinkAsync(string mappingId, MappingDirection direction, JsonNode erpRecordOrSource, string externalId, string erpId, MappingContext? context = null)
    {
        var mapping = catalog.Get(mappingId);
        context ??= MappingContext.Empty;
        var external = mapping.Left.System == KeyMapTransform.Erp ? mapping.Right : mapping.Left;
        var erp = mapping.Left.System == KeyMapTransform.Erp ? mapping.Left : mapping.Right;
        await keyMap.LinkAsync(new KeyLink(external.System, erp.Entity, context.Store, externalId, erpId), context.CancellationToken);
        foreach (var match in mapping.Identity.Match)
        {
            var path = direction == MappingDirection.LeftToRight ? match.Left : match.Right;
            if (MatchValue.Normalize(match.Name, JsonValues.Text(path.Read(erpRecordOrSource))) is { } value)
            {
                await keyMap.AddMatchValueAsync(erp.Entity, erpId, match.Name, value, context.CancellationToken);
            }
        }
    }
}
