using System.Text.Json.Nodes;

namespace Integration.Mappings.Conflicts;

/// <summary>
/// A field both systems master held different values: both values and both modification times, the rule applied
/// and which system won (none when the rule is <see cref="ConflictRule.Raise"/>: a person decides).
/// </summary>
public sealed record FieldConflict(
    string Field, string TargetPath, string SourceSystem, JsonNode? SourceValue, DateTimeOffset? SourceModifiedAt,
    string TargetSystem, JsonNode? TargetValue, DateTimeOffset? TargetModifiedAt, ConflictRule Rule, string? Winner)
{
    public bool NeedsPerson => Winner is null;
}
