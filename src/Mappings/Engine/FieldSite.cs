using Integration.Mappings.Definitions;

namespace Integration.Mappings.Engine;

/// <summary>
/// What the reports of one field (or array event) share, made once per compiled plan: a report keeps this and the item's
/// key (<see cref="FieldSpot"/>) instead of a whole <see cref="FieldLocation"/>, which is made when a caller reads it.
/// </summary>
internal sealed class FieldSite(string field, FieldPath? targetPath, string? array)
{
    public FieldLocation At(string? key) => new(field, targetPath, array, key);
}
