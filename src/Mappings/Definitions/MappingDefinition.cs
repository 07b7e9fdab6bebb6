using Integration.Mappings.Conflicts;

namespace Integration.Mappings.Definitions;

/// <summary>
/// A loaded, checked and compiled mapping between two systems for one entity pair: the systems, the identity, the
/// default conflict rule and the fields and arrays. Immutable; a changed file gives a new instance.
/// </summary>
public sealed class MappingDefinition
{
    public required string Id { get; init; }

    public required int Version { get; init; }

    public string? Description { get; init; }

    public required string File { get; init; }

    /// <summary>SHA-256 of the file's text: two loads of the same text are the same version.</summary>
    public required string ContentHash { get; init; }

    public required MappingSide Left { get; init; }

    public required MappingSide Right { get; init; }

    public IdentityDeclaration Identity { get; init; } = IdentityDeclaration.None;

    public ConflictPolicy? Conflict { get; init; }

    public required IReadOnlyList<FieldMapping> Fields { get; init; }

    public required IReadOnlyList<ArrayMapping> Arrays { get; init; }

    public MappingSide Source(MappingDirection direction) => direction == MappingDirection.LeftToRight ? Left : Right;

    public MappingSide Target(MappingDirection direction) => direction == MappingDirection.LeftToRight ? Right : Left;

    /// <summary>The direction in which <paramref name="sourceSystem"/> is the source.</summary>
    public MappingDirection DirectionFrom(string sourceSystem) =>
        string.Equals(sourceSystem, Left.System, StringComparison.OrdinalIgnoreCase) ? MappingDirection.LeftToRight
        : string.Equals(sourceSystem, Right.System, StringComparison.OrdinalIgnoreCase) ? MappingDirection.RightToLeft
        : throw new ArgumentException($"Mapping '{Id}' is between {Left.System} and {Right.System}, not {sourceSystem}.", nameof(sourceSystem));

    public int FieldCount => Fields.Count + Arrays.Sum(a => a.Fields.Count);

    /// <summary>
    /// Whether applying this mapping can write a field to one side, and so leave echo fingerprints there: a field
    /// with a path on that side that the other side or both master, or that is seeded on a new record. Read once per
    /// mapping version.
    /// </summary>
    public bool MayWriteTo(MappingSide side) => side == Left ? (_mayWriteToLeft ??= MayWrite(toLeft: true)) : side == Right && (_mayWriteToRight ??= MayWrite(toLeft: false));

    private bool? _mayWriteToLeft;
    private bool? _mayWriteToRight;

    private bool MayWrite(bool toLeft)
    {
        static bool Writes(FieldMapping f, bool toLeft) =>
            f.PathOn(toLeft) is { ContextName: null } && (f.IsMasteredBy(sourceIsLeft: !toLeft) || f.SeedOnCreate);

        return Fields.Any(f => Writes(f, toLeft)) || Arrays.Any(a => a.Fields.Any(f => Writes(f, toLeft)));
    }

    // Compiled on first use in each direction; a benign race may compile twice, and either result is the same.
    private Engine.MappingPlan? _leftToRight;
    private Engine.MappingPlan? _rightToLeft;

    internal Engine.MappingPlan Plan(MappingDirection direction) => direction == MappingDirection.LeftToRight
        ? _leftToRight ??= Engine.MappingPlan.For(this, direction)
        : _rightToLeft ??= Engine.MappingPlan.For(this, direction);
}
