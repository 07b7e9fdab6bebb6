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
    private readonly FieldReports<WrittenField, FieldWrite> _written;
    private readonly FieldReports<SkippedField, FieldSkip>? _skipped;
    private readonly byte[]? _changesUtf8;
    private readonly JsonNode? _targetCurrent;
    private JsonObject? _changes;
    private JsonNode? _document;

    internal MappingResult(MappingDefinition mapping, MappingDirection direction, string? store, string? sourceId, string? targetId, JsonNode? targetCurrent, byte[]? changesUtf8,
        FieldReports<WrittenField, FieldWrite> written, FieldReports<SkippedField, FieldSkip>? skipped, IReadOnlyList<FieldFailure> failed, IReadOnlyList<FieldConflict> conflicts)
    {
        Mapping = mapping;
        Direction = direction;
        Store = store;
        SourceId = sourceId;
        TargetId = targetId;
        TargetIsNew = targetCurrent is null;
        _targetCurrent = targetCurrent;
        _changesUtf8 = changesUtf8;
        _written = written;
        _skipped = skipped;
        Failed = failed;
        Conflicts = conflicts;
    }

    public MappingDefinition Mapping { get; }

    public string MappingId => Mapping.Id;

    public int Version => Mapping.Version;

    public MappingDirection Direction { get; }

    public MappingSide Source => Mapping.Source(Direction);

    public MappingSide Target => Mapping.Target(Direction);

    /// <summary>The store the mapping ran for (its echoes and key links are that store's).</summary>
    public string? Store { get; }

    public string? SourceId { get; }

    public string? TargetId { get; }

    public bool TargetIsNew { get; }

    /// <summary>
    /// Only the fields written (arrays whole, as the target takes them). The run keeps them as UTF-8 JSON; this object is
    /// parsed from it when first read (and is then the same object on every read).
    /// </summary>
    public JsonObject Changes
    {
        get
        {
            if (_changes is null)
            {
                var changes = _changesUtf8 is null ? new JsonObject() : JsonNode.Parse(_changesUtf8)!.AsObject();
                Interlocked.CompareExchange(ref _changes, changes, null);
            }

            return _changes;
        }
    }

    /// <summary>
    /// The target record as it will be: the current one with the changes applied (the changes alone for a new record; the
    /// current record itself when nothing changed). Made when first read.
    /// </summary>
    public JsonNode Document
    {
        get
        {
            if (_document is null)
            {
                var document = _targetCurrent is null ? Changes : _changesUtf8 is null ? _targetCurrent : Merge(_targetCurrent.DeepClone(), Changes);
                Interlocked.CompareExchange(ref _document, document, null);
            }

            return _document;
        }
    }

    /// <summary>Every field written (array items added and removed as <c>(added)</c> and <c>(removed)</c>).</summary>
    public IReadOnlyList<FieldWrite> Written => _written;

    public IReadOnlyList<FieldSkip> Skipped => (IReadOnlyList<FieldSkip>?)_skipped ?? [];

    public IReadOnlyList<FieldFailure> Failed { get; }

    public IReadOnlyList<FieldConflict> Conflicts { get; }

    public bool Succeeded => Failed.Count == 0;

    public bool HasChanges => Written.Count > 0;

    /// <summary>A conflict the rule left to a person (<see cref="ConflictRule.Raise"/>, or lastWriterWins without timestamps).</summary>
    public bool NeedsPerson => Conflicts.Any(c => c.NeedsPerson);

    /// <summary>Fingerprints of what was written, to record once the target accepted it (its echo is then recognised).</summary>
    public IReadOnlyList<EchoFingerprint> Fingerprints(string targetRecordId, DateTimeOffset writtenAt)
    {
        var target = Target;
        var fingerprints = new List<EchoFingerprint>(_written.Count);
        foreach (ref readonly var w in _written.Entries)
        {
            if (!w.Location.Field.StartsWith('('))
            {
                fingerprints.Add(new EchoFingerprint(target.System, target.Entity, EchoFingerprint.RecordKey(Store, targetRecordId), w.Location.Path, JsonValues.Hash(w.Value), writtenAt));
            }
        }

        return fingerprints;
    }

    /// <summary>The result as JSON (for flows, the CLI and logs).</summary>
    public JsonObject ToJson() => new()
    {
        ["mapping"] = MappingId,
        ["version"] = Version,
        ["direction"] = $"{Source.System}->{Target.System}",
        ["targetSystem"] = Target.System,
        ["targetEntity"] = Target.Entity,
        ["store"] = Store,
        ["sourceId"] = SourceId,
        ["targetId"] = TargetId,
        ["targetIsNew"] = TargetIsNew,
        ["succeeded"] = Succeeded,
        ["needsPerson"] = NeedsPerson,
        ["changes"] = Changes.DeepClone(),
        ["document"] = Document.DeepClone(),
        ["written"] = WrittenJson(),
        ["skipped"] = SkippedJson(),
        ["failed"] = new JsonArray([.. Failed.Select(f => (JsonNode)new JsonObject { ["field"] = f.Field, ["reason"] = f.Reason })]),
        ["conflicts"] = new JsonArray([.. Conflicts.Select(c => (JsonNode)new JsonObject
        {
            ["field"] = c.Field, ["rule"] = c.Rule.ToString(), ["winner"] = c.Winner,
            ["sourceSystem"] = c.SourceSystem, ["sourceValue"] = c.SourceValue?.DeepClone(), ["sourceModifiedAt"] = c.SourceModifiedAt,
            ["targetSystem"] = c.TargetSystem, ["targetValue"] = c.TargetValue?.DeepClone(), ["targetModifiedAt"] = c.TargetModifiedAt,
        })]),
    };

    private JsonArray WrittenJson()
    {
        var json = new JsonArray();
        foreach (ref readonly var w in _written.Entries)
        {
            json.Add(new JsonObject { ["field"] = w.Location.Name, ["path"] = w.Location.Path, ["value"] = w.Value.IsNumber ? w.Value.ToNode() : w.Value.Node?.DeepClone(), ["previous"] = w.Previous?.DeepClone() });
        }

        return json;
    }

    private JsonArray SkippedJson()
    {
        var json = new JsonArray();
        if (_skipped is not null)
        {
            foreach (ref readonly var s in _skipped.Entries)
            {
                json.Add(new JsonObject { ["field"] = s.Location.Name, ["reason"] = ReasonNames[(int)s.Reason] });
            }
        }

        return json;
    }

    private static JsonObject Merge(JsonNode target, JsonObject changes)
    {
        if (target is not JsonObject obj)
        {
            return changes;
        }

        foreach (var (name, value) in changes.ToList())
        {
            if (value is JsonObject nested && obj[name] is JsonObject existing)
            {
                Merge(existing, nested);
            }
            else
            {
                obj[name] = value?.DeepClone();
            }
        }

        return obj;
    }

    // notMaster, unchanged, echo... as the result's JSON names them.
    private static readonly string[] ReasonNames = [.. Enum.GetNames<SkipReason>().Select(n => char.ToLowerInvariant(n[0]) + n[1..])];
}
