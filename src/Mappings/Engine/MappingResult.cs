using System.Text.Json.Nodes;
using Integration.Mappings.Conflicts;
using Integration.Mappings.Definitions;
using Integration.Mappings.Echoes;
using Integration.Mappings.Transforms;

namespace Integration.Mappings.Engine;

/// <summary>
/// What applying a mapping produced: the target changes (only what is written) and the whole target document
/// (current merged with the changes), with every field written, skipped (and why) or failed, and the conflicts.
/// </summary>
public sealed class MappingResult
{
    internal MappingResult(MappingDefinition mapping, MappingDirection direction, string? sourceId, string? targetId, bool targetIsNew, JsonObject changes, JsonNode document,
        IReadOnlyList<FieldWrite> written, IReadOnlyList<FieldSkip> skipped, IReadOnlyList<FieldFailure> failed, IReadOnlyList<FieldConflict> conflicts)
    {
        Mapping = mapping;
        Direction = direction;
        SourceId = sourceId;
        TargetId = targetId;
        TargetIsNew = targetIsNew;
        Changes = changes;
        Document = document;
        Written = written;
        Skipped = skipped;
        Failed = failed;
        Conflicts = conflicts;
    }

    public MappingDefinition Mapping { get; }

    public string MappingId => Mapping.Id;

    public int Version => Mapping.Version;

    public MappingDirection Direction { get; }

    public MappingSide Source => Mapping.Source(Direction);

    public MappingSide Target => Mapping.Target(Direction);

    public string? SourceId { get; }

    public string? TargetId { get; }

    public bool TargetIsNew { get; }

    /// <summary>Only the fields written (arrays whole, as the target takes them).</summary>
    public JsonObject Changes { get; }

    /// <summary>The target record as it will be: the current one with the changes applied (the changes alone for a new record; the current record itself when nothing changed).</summary>
    public JsonNode Document { get; }

    public IReadOnlyList<FieldWrite> Written { get; }

    public IReadOnlyList<FieldSkip> Skipped { get; }

    public IReadOnlyList<FieldFailure> Failed { get; }

    public IReadOnlyList<FieldConflict> Conflicts { get; }

    public bool Succeeded => Failed.Count == 0;

    public bool HasChanges => Written.Count > 0;

    /// <summary>A conflict the rule left to a person (<see cref="ConflictRule.Raise"/>, or lastWriterWins without timestamps).</summary>
    public bool NeedsPerson => Conflicts.Any(c => c.NeedsPerson);

    /// <summary>Fingerprints of what was written, to record once the target accepted it (its echo is then recognised).</summary>
    public IReadOnlyList<EchoFingerprint> Fingerprints(string targetRecordId, DateTimeOffset writtenAt) =>
        [.. Written.Where(w => !w.Location.Field.StartsWith('(')).Select(w => new EchoFingerprint(Target.System, Target.Entity, targetRecordId, w.Path, JsonValues.Hash(w.Value), writtenAt))];

    /// <summary>The result as JSON (for flows, the CLI and logs).</summary>
    public JsonObject ToJson() => new()
    {
        ["mapping"] = MappingId,
        ["version"] = Version,
        ["direction"] = $"{Source.System}->{Target.System}",
        ["targetSystem"] = Target.System,
        ["targetEntity"] = Target.Entity,
        ["sourceId"] = SourceId,
        ["targetId"] = TargetId,
        ["targetIsNew"] = TargetIsNew,
        ["succeeded"] = Succeeded,
        ["needsPerson"] = NeedsPerson,
        ["changes"] = Changes.DeepClone(),
        ["document"] = Document.DeepClone(),
        ["written"] = new JsonArray([.. Written.Select(w => (JsonNode)new JsonObject { ["field"] = w.Field, ["path"] = w.Path, ["value"] = w.Value?.DeepClone(), ["previous"] = w.Previous?.DeepClone() })]),
        ["skipped"] = new JsonArray([.. Skipped.Select(s => (JsonNode)new JsonObject { ["field"] = s.Field, ["reason"] = char.ToLowerInvariant(s.Reason.ToString()[0]) + s.Reason.ToString()[1..] })]),
        ["failed"] = new JsonArray([.. Failed.Select(f => (JsonNode)new JsonObject { ["field"] = f.Field, ["reason"] = f.Reason })]),
        ["conflicts"] = new JsonArray([.. Conflicts.Select(c => (JsonNode)new JsonObject
        {
            ["field"] = c.Field, ["rule"] = c.Rule.ToString(), ["winner"] = c.Winner,
            ["sourceSystem"] = c.SourceSystem, ["sourceValue"] = c.SourceValue?.DeepClone(), ["sourceModifiedAt"] = c.SourceModifiedAt,
            ["targetSystem"] = c.TargetSystem, ["targetValue"] = c.TargetValue?.DeepClone(), ["targetModifiedAt"] = c.TargetModifiedAt,
        })]),
    };
}
