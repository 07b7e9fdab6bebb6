using Integration.Mappings.Definitions;

namespace Integration.Mappings.Engine;

/// <summary>Which field of which array item (by key) a write, skip or failure is about; names are built only when read.</summary>
public readonly record struct FieldLocation(string Field, FieldPath? TargetPath, string? Array, string? Key)
{
    /// <summary>The field's name, e.g. <c>lines[SKU-1].qty</c>.</summary>
    public string Name => Array is null ? Field : $"{Array}[{Key}].{Field}";

    /// <summary>Where it goes in the target document, e.g. <c>lines[SKU-1].qty</c>.</summary>
    public string Path => Array is null ? TargetPath?.Text ?? Field : $"{Array}[{Key}].{TargetPath?.Text ?? Field}";

    public override string ToString() => Name;
}
