using System.Text.Json.Nodes;
using Integration.Mappings.Conflicts;
using Integration.Mappings.Transforms;

namespace Integration.Mappings.Definitions;

/// <summary>
/// One field of a mapping, compiled: where it is on each side, which system masters it, the transforms for each
/// direction, and what happens when the source has no value.
/// </summary>
public sealed class FieldMapping
{
    public required string Name { get; init; }

    /// <summary>Where the field is declared in its file (<c>$.fields[3]</c>), for reports.</summary>
    public required string DeclaredAt { get; init; }

    public FieldPath? Left { get; init; }

    public FieldPath? Right { get; init; }

    public required FieldMaster Master { get; init; }

    public ConflictPolicy? Conflict { get; init; }

    public IReadOnlyList<ValueTransform> ToRight { get; init; } = [];

    public IReadOnlyList<ValueTransform> ToLeft { get; init; } = [];

    /// <summary>Written as is whatever the source holds (a constant of the target system, e.g. no SKU on a shipping line).</summary>
    public bool HasConstant { get; init; }

    public JsonNode? Constant { get; init; }

    public bool Required { get; init; }

    public MissingValue OnMissing { get; init; }

    public JsonNode? Default { get; init; }

    /// <summary>Written when the target record is new even if the source side does not master it.</summary>
    public bool SeedOnCreate { get; init; }

    /// <summary>Written only when the target record is new (the ids it is created with), never to an existing one.</summary>
    public bool OnlyOnCreate { get; init; }

    public FieldPath? PathOn(bool left) => left ? Left : Right;

    public IReadOnlyList<ValueTransform> TransformsFor(MappingDirection direction) => direction == MappingDirection.LeftToRight ? ToRight : ToLeft;

    /// <summary>True when a change on the source side may be written to the other side.</summary>
    public bool IsMasteredBy(bool sourceIsLeft) => Master == FieldMaster.Both || Master == (sourceIsLeft ? FieldMaster.Left : FieldMaster.Right);
}
