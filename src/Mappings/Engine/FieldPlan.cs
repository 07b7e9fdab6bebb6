using Integration.Mappings.Definitions;
using Integration.Mappings.Transforms;

namespace Integration.Mappings.Engine;

/// <summary>
/// The fields of one list (a mapping's, or an array's item fields) as a run in one direction walks them, worked out once
/// per mapping version: the paths on each side, the transforms of that direction as an array, whether the source side
/// masters the field, and whether any transform looks something up (only then does the run await).
/// </summary>
internal sealed class FieldPlan
{
    private FieldPlan(FieldMapping[] fields, MappingDirection direction, string? array)
    {
        var sourceIsLeft = direction == MappingDirection.LeftToRight;
        Steps = new Step[fields.Length];
        for (var i = 0; i < fields.Length; i++)
        {
            var field = fields[i];
            var transforms = field.TransformsFor(direction).ToArray();
            var isAsync = Array.Exists(transforms, t => t.IsAsync);
            AnyAsync |= isAsync;
            var targetPath = field.PathOn(!sourceIsLeft);
            Steps[i] = new Step(field, field.PathOn(sourceIsLeft), targetPath, transforms, isAsync, field.IsMasteredBy(sourceIsLeft), new FieldSite(field.Name, targetPath, array));
        }
    }

    public Step[] Steps { get; }

    public bool AnyAsync { get; }

    /// <summary>The plan of <paramref name="fields"/>; <paramref name="array"/> is the target path of their array (null for a document's fields).</summary>
    public static FieldPlan For(IReadOnlyList<FieldMapping> fields, MappingDirection direction, string? array = null) => new([.. fields], direction, array);

    /// <summary>One field in this direction; <see cref="TargetPath"/> null (or a context value) when the field does not go this way.</summary>
    internal sealed record Step(FieldMapping Field, FieldPath? SourcePath, FieldPath? TargetPath, ValueTransform[] Transforms, bool IsAsync, bool MasteredBySource, FieldSite Site);
}
