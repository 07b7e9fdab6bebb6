using System.Text.Json.Nodes;
using Integration.Mappings.Transforms;

namespace Integration.Mappings.Engine;

/// <summary>A field written, as the run keeps it (the <see cref="FieldWrite"/> record is made when a caller reads it).</summary>
internal readonly record struct WrittenField(FieldSpot Spot, MappingValue Value, JsonNode? Previous)
{
    public FieldLocation Location => Spot.Location;

    public static readonly Func<WrittenField, FieldWrite> Record = static w => new FieldWrite(w.Location, JsonValues.Detached(w.Value.ToNode()), w.Previous);
}
