namespace Integration.Mappings.KeyMaps;

/// <summary>
/// Who the source record is on the other side: its id there (null when it is new), how it was found
/// (<c>keyMap</c>, <c>email</c>, <c>phone</c>...), and the records that look like duplicates of it.
/// </summary>
public sealed record IdentityMatch(string? SourceId, string? TargetId, string? MatchedBy, IReadOnlyList<string> PossibleDuplicates)
{
    public bool IsNew => TargetId is null;

    public bool HasDuplicates => PossibleDuplicates.Count > 0;
}
