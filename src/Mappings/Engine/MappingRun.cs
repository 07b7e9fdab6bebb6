using System.Text.Json.Nodes;
using Integration.Mappings.Conflicts;
using Integration.Mappings.Definitions;
using Integration.Mappings.Echoes;
using Integration.Mappings.KeyMaps;
using Integration.Mappings.Transforms;

namespace Integration.Mappings.Engine;

/// <summary>One application of a mapping: walks the compiled fields and arrays and collects what happened to each.</summary>
internal sealed class MappingRun
{
    private readonly MappingDefinition _mapping;
    private readonly MappingDirection _direction;
    private readonly bool _sourceIsLeft;
    private readonly JsonNode _source;
    private readonly JsonObject? _targetCurrent;
    private readonly MappingContext _context;
    private readonly EchoSet _echoes;
    private readonly EchoSet _targetWrites;
    private readonly TransformScope _scope;
    private readonly TargetChanges _changes;
    private readonly FieldReports<WrittenField, FieldWrite> _written;
    private readonly int _mostReports;
    private FieldReports<SkippedField, FieldSkip>? _skipped;
    private List<FieldFailure>? _failed;
    private List<FieldConflict>? _conflicts;
    private Dictionary<string, HashSet<string>>? _matchedKeys;

    public MappingRun(MappingDefinition mapping, MappingDirection direction, JsonNode source, JsonObject? targetCurrent, MappingContext context, IKeyMap keyMap, EchoSet echoes, EchoSet targetWrites, TargetChanges changes)
    {
        _changes = changes;
        Plan = mapping.Plan(direction);
        _targetWrites = targetWrites;
        _mapping = mapping;
        _direction = direction;
        _sourceIsLeft = direction == MappingDirection.LeftToRight;
        _source = source;
        _targetCurrent = targetCurrent;
        _context = context;
        _echoes = echoes;
        _scope = new TransformScope(mapping, direction, source, context, keyMap);
        _mostReports = MostReports();
        _written = new FieldReports<WrittenField, FieldWrite>(WrittenField.Record, _mostReports);
    }

    /// <summary>Fingerprints whose echo arrived in this run, or that a different value read overtook.</summary>
    public List<EchoFingerprint>? Echoes { get; private set; }

    private bool TargetIsNew => _targetCurrent is null;

    public MappingResult Result(string? sourceId, string? targetId, JsonNode? targetCurrent, byte[]? changesUtf8) =>
        new(_mapping, _direction, _context.Store, sourceId, targetId, targetCurrent, changesUtf8, _written, _skipped,
            (IReadOnlyList<FieldFailure>?)_failed ?? [], (IReadOnlyList<FieldConflict>?)_conflicts ?? []);

    // At most one report per field, per field of each source item plus its addition, per current item removed: the
    // reports are sized once.
    private int MostReports()
    {
        var most = _mapping.Fields.Count;
        for (var i = 0; i < _mapping.Arrays.Count; i++)
        {
            var array = _mapping.Arrays[i];
            if (array.PathOn(_sourceIsLeft).Read(_source) is JsonArray items)
            {
                most += items.Count * (array.Fields.Count + 1);
            }

            if (_targetCurrent is not null && array.PathOn(!_sourceIsLeft).Read(_targetCurrent) is JsonArray current)
            {
                most += current.Count;
            }
        }

        return most;
    }

    public MappingPlan Plan { get; }

    /// <summary>Maps the fields of <paramref name="plan"/> from <paramref name="item"/>; awaits only when a field's transform looks something up.</summary>
    public ValueTask FieldsAsync(FieldPlan plan, JsonNode item, JsonObject? current, int output, ArrayMapping? array, string? key)
    {
        if (plan.AnyAsync)
        {
            return FieldsWithLookupsAsync(plan, item, current, output, array, key);
        }

        var steps = plan.Steps;
        for (var i = 0; i < steps.Length; i++)
        {
            var step = steps[i];
            if (Begin(step, item, current, array, key, out var spot, out var value) && TryTransform(step, spot, ref value))
            {
                Finish(step, spot, value, current, output);
            }
        }

        return ValueTask.CompletedTask;
    }

    private async ValueTask FieldsWithLookupsAsync(FieldPlan plan, JsonNode item, JsonObject? current, int output, ArrayMapping? array, string? key)
    {
        var steps = plan.Steps;
        for (var i = 0; i < steps.Length; i++)
        {
            var step = steps[i];
            if (!Begin(step, item, current, array, key, out var spot, out var value))
            {
                continue;
            }

            if (!step.IsAsync)
            {
                if (!TryTransform(step, spot, ref value))
                {
                    continue;
                }
            }
            else
            {
                try
                {
                    value = await TransformAsync(step, value);
                }
                catch (MappingValueException ex)
                {
                    Fail(spot.Location, ex.Message);
                    continue;
                }
            }

            Finish(step, spot, value, current, output);
        }
    }

    // Whether the field goes this way and is the source's to write, and its value as read (or its constant).
    private bool Begin(FieldPlan.Step step, JsonNode item, JsonObject? current, ArrayMapping? array, string? key, out FieldSpot spot, out MappingValue value)
    {
        value = MappingValue.Missing;
        spot = default;
        var targetPath = step.TargetPath;
        if (targetPath is null || targetPath.ContextName is not null)
        {
            return false; // this field does not go this way
        }

        var field = step.Field;
        spot = new FieldSpot(step.Site, key);
        if (!step.MasteredBySource && !(TargetIsNew && field.SeedOnCreate))
        {
            Skip(spot, SkipReason.NotMaster);
            return false;
        }

        if (field.OnlyOnCreate && current is not null)
        {
            Skip(spot, SkipReason.CreateOnly);
            return false;
        }

        var sourcePath = step.SourcePath;
        _scope.Item = item;
        // The changes are written out as JSON, never joined to the mapping's own nodes: a constant is used as it is
        // (an object or array is copied, as callers may change what they read from the result).
        var raw = field.HasConstant ? JsonValues.Shared(field.Constant) : sourcePath is null ? null : _scope.Read(sourcePath);
        if (_echoes.Count > 0 && !field.HasConstant && sourcePath is not null && IsEcho(EchoField(sourcePath, array, key), raw))
        {
            Skip(spot, SkipReason.Echo);
            return false;
        }

        value = MappingValue.Of(raw);
        return true;
    }

    private bool TryTransform(FieldPlan.Step step, in FieldSpot spot, ref MappingValue value)
    {
        var transforms = step.Transforms;
        try
        {
            for (var t = 0; t < transforms.Length; t++)
            {
                value = transforms[t].Apply(value, _scope);
            }

            return true;
        }
        catch (MappingValueException ex)
        {
            Fail(spot.Location, ex.Message);
            return false;
        }
    }

    private async ValueTask<MappingValue> TransformAsync(FieldPlan.Step step, MappingValue value)
    {
        foreach (var transform in step.Transforms)
        {
            value = transform.IsAsync ? await transform.ApplyAsync(value, _scope) : transform.Apply(value, _scope);
        }

        return value;
    }

    // The value after its transforms: the missing-value rule, then unchanged, conflict, or written.
    private void Finish(FieldPlan.Step step, in FieldSpot spot, MappingValue value, JsonObject? current, int output)
    {
        var field = step.Field;
        var targetPath = step.TargetPath!;
        if (value.IsMissing && !(field.HasConstant && field.Constant is null))
        {
            switch (field.OnMissing)
            {
                case MissingValue.Skip:
                    Skip(spot, SkipReason.Missing);
                    return;
                case MissingValue.Fail:
                    Fail(spot.Location, $"required value missing at {step.SourcePath?.Text ?? field.Name}");
                    return;
                case MissingValue.Default:
                    value = MappingValue.Of(JsonValues.Shared(field.Default));
                    break;
                case MissingValue.Null:
                    value = MappingValue.Missing;
                    break;
            }
        }

        var previous = current is null ? null : targetPath.Read(current);
        if (current is not null && JsonValues.Same(value, previous))
        {
            Skip(spot, SkipReason.Unchanged);
            return;
        }

        if (field.Master == FieldMaster.Both && current is not null && !JsonValues.IsMissing(previous) && !TargetUnchangedSinceOurWrite(spot, previous)
            && !Resolve(field, spot.Location, value.ToNode(), previous))
        {
            Skip(spot, SkipReason.Conflict);
            return;
        }

        _changes.Write(output, targetPath, value);
        _written.Add(new WrittenField(spot, value, previous));
    }

    public async ValueTask ArrayAsync(int arrayIndex)
    {
        var array = _mapping.Arrays[arrayIndex];
        var sourcePath = array.PathOn(_sourceIsLeft);
        var targetPath = array.PathOn(!_sourceIsLeft);
        var sourceKey = _sourceIsLeft ? array.LeftKey : array.RightKey;
        var targetKey = _sourceIsLeft ? array.RightKey : array.LeftKey;
        var sourceItems = sourcePath.Read(_source) as JsonArray;
        var currentItems = _targetCurrent is null ? null : targetPath.Read(_targetCurrent) as JsonArray;
        var arrayMastered = array.Master == FieldMaster.Both || array.Master == (_sourceIsLeft ? FieldMaster.Left : FieldMaster.Right);
        if (sourceItems is null)
        {
            return;
        }

        Dictionary<string, JsonObject>? index = null;
        HashSet<string>? matched = null;
        if (currentItems is { Count: > 0 })
        {
            index = new Dictionary<string, JsonObject>(currentItems.Count, StringComparer.Ordinal);
            foreach (var existing in currentItems)
            {
                if (existing is JsonObject obj && JsonValues.Text(targetKey.Read(obj)) is { } k)
                {
                    index.TryAdd(k, obj);
                }
            }

            _matchedKeys ??= new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            if (!_matchedKeys.TryGetValue(targetPath.Text, out matched))
            {
                _matchedKeys[targetPath.Text] = matched = new HashSet<string>(StringComparer.Ordinal);
            }
        }

        // Items are collected first and the target array built only when something in it changed.
        var items = new List<int>(sourceItems.Count);
        var changed = TargetIsNew || _changes.FindArray(TargetChanges.Root, targetPath) >= 0;
        var location = new FieldLocation(array.Name, targetPath, null, null);
        for (var i = 0; i < sourceItems.Count; i++)
        {
            if (sourceItems[i] is not JsonObject sourceItem || sourceKey.Read(sourceItem) is var keyNode && JsonValues.Text(keyNode) is not { } key)
            {
                Fail(location, $"an item of {sourcePath.Text} has no key at {sourceKey.Text}");
                continue;
            }

            if (_sourceIsLeft && array.SkipWhere is { } skipPath
                && JsonValues.Same(skipPath.Read(sourceItem) ?? array.SkipWhereOr?.Read(sourceItem), array.SkipEquals))
            {
                continue;
            }

            JsonObject? existing = null;
            index?.TryGetValue(key, out existing);
            matched?.Add(key);
            if (existing is null && !arrayMastered && !TargetIsNew)
            {
                Skip(new FieldSpot(Plan.ArraySites[arrayIndex].Item, key), SkipReason.NotMaster);
                continue;
            }

            var outItem = _changes.NewObject(existing);
            // A parsed string key is written as it is (same text); any other key as its text, as always.
            _changes.Write(outItem, targetKey, MappingValue.Of(keyNode is JsonValue { } parsed && parsed.GetValueKind() == System.Text.Json.JsonValueKind.String ? keyNode : JsonValue.Create(key)));
            var before = _written.Count;
            await FieldsAsync(Plan.Arrays[arrayIndex], sourceItem, existing, outItem, array, key);
            if (existing is null)
            {
                _written.Add(new WrittenField(new FieldSpot(Plan.ArraySites[arrayIndex].Added, key), MappingValue.Missing, null));
                changed = true;
            }
            else
            {
                changed |= _written.Count > before;
            }

            items.Add(outItem);
        }

        if (index is not null && IsLastFor(arrayIndex, targetPath))
        {
            foreach (var (key, existing) in index)
            {
                if (matched!.Contains(key))
                {
                    continue;
                }

                if (array.RemoveMissing && arrayMastered)
                {
                    _written.Add(new WrittenField(new FieldSpot(Plan.ArraySites[arrayIndex].Removed, key), MappingValue.Missing, existing.DeepClone()));
                    changed = true;
                    continue;
                }

                items.Add(_changes.NewObject(existing));
            }
        }

        if (!changed)
        {
            return;
        }

        var output = _changes.GetOrAddArray(TargetChanges.Root, targetPath);
        foreach (var item in items)
        {
            _changes.Append(output, item);
        }
    }

    private bool IsLastFor(int index, FieldPath targetPath)
    {
        for (var i = index + 1; i < _mapping.Arrays.Count; i++)
        {
            if (_mapping.Arrays[i].PathOn(!_sourceIsLeft).Text == targetPath.Text)
            {
                return false;
            }
        }

        return true;
    }

    private string EchoField(FieldPath sourcePath, ArrayMapping? array, string? key) =>
        array is null ? sourcePath.Text : $"{array.PathOn(_sourceIsLeft).Text}[{key}].{sourcePath.Text}";

    private bool IsEcho(string field, JsonNode? raw)
    {
        if (!_echoes.TryGet(field, out var fingerprint))
        {
            return false;
        }

        // Read with another value, our write is overtaken (a person changed the field since, or the write never showed):
        // its fingerprint goes as an echo's does, so the person setting the field back to what we wrote is not dropped.
        // A read without the value (a payload that leaves the field out) says nothing of our write: the fingerprint waits.
        var echo = fingerprint.ValueHash == JsonValues.Hash(raw);
        if (echo || raw is not null)
        {
            (Echoes ??= []).Add(fingerprint);
        }

        return echo;
    }

    // The target still holds the value we last wrote there, so only the source changed: no conflict to settle.
    private bool TargetUnchangedSinceOurWrite(in FieldSpot spot, JsonNode? previous) =>
        _targetWrites.Count > 0 && _targetWrites.Matches(spot.Location.Path, JsonValues.Hash(previous), out _);

    /// <summary>Both systems master the field and hold different values: true when the source wins and is written.</summary>
    private bool Resolve(FieldMapping field, FieldLocation location, JsonNode? value, JsonNode? previous)
    {
        var policy = field.Conflict ?? _mapping.Conflict!;
        var sourceSide = _mapping.Source(_direction);
        var targetSide = _mapping.Target(_direction);
        var sourceTime = _context.SourceModifiedAt ?? DateTimeTransform.Parse(sourceSide.ModifiedAtPath?.Read(_source));
        var targetTime = _context.TargetModifiedAt ?? DateTimeTransform.Parse(targetSide.ModifiedAtPath?.Read(_targetCurrent));
        var winner = policy.Rule switch
        {
            ConflictRule.MasterWins => policy.Priority[0],
            ConflictRule.LastWriterWins when sourceTime is { } s && targetTime is { } t => s > t ? sourceSide.System : targetSide.System,
            _ => null,
        };
        (_conflicts ??= []).Add(new FieldConflict(location.Name, location.Path, sourceSide.System, JsonValues.Detached(value), sourceTime,
            targetSide.System, previous?.DeepClone(), targetTime, policy.Rule, winner));
        return string.Equals(winner, sourceSide.System, StringComparison.Ordinal);
    }

    private void Skip(in FieldSpot spot, SkipReason reason) =>
        (_skipped ??= new FieldReports<SkippedField, FieldSkip>(SkippedField.Record, TargetIsNew ? 8 : _mostReports)).Add(new SkippedField(spot, reason));

    private void Fail(FieldLocation location, string reason) => (_failed ??= []).Add(new FieldFailure(location, reason));
}
