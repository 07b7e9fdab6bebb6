namespace Integration.Mappings.Transforms;

/// <summary><c>unit</c>: converts a quantity between units of one dimension (mass, length, volume, ratio), optionally rounded to <c>decimals</c>.</summary>
public sealed class UnitTransform(decimal factor, int? decimals) : ValueTransform
{
    // Each unit's size in its dimension's base unit.
    private static readonly Dictionary<string, (string Dimension, decimal Size)> Units = new(StringComparer.Ordinal)
    {
        ["mg"] = ("mass", 0.001m), ["g"] = ("mass", 1m), ["kg"] = ("mass", 1000m), ["oz"] = ("mass", 28.349523125m), ["lb"] = ("mass", 453.59237m),
        ["mm"] = ("length", 1m), ["cm"] = ("length", 10m), ["m"] = ("length", 1000m), ["in"] = ("length", 25.4m), ["ft"] = ("length", 304.8m),
        ["ml"] = ("volume", 1m), ["l"] = ("volume", 1000m),
        ["ratio"] = ("ratio", 1m), ["percent"] = ("ratio", 0.01m),
    };

    public override string Name => "unit";

    public static IEnumerable<string> Known => Units.Keys;

    /// <summary>The factor from one unit to another, or why there is none.</summary>
    public static (decimal Factor, string? Problem) Factor(string? from, string? to)
    {
        if (from is null || !Units.TryGetValue(from, out var a))
        {
            return (0, $"unknown unit '{from}' (known: {string.Join(", ", Units.Keys)})");
        }

        if (to is null || !Units.TryGetValue(to, out var b))
        {
            return (0, $"unknown unit '{to}' (known: {string.Join(", ", Units.Keys)})");
        }

        return a.Dimension == b.Dimension ? (a.Size / b.Size, null) : (0, $"cannot convert {a.Dimension} ({from}) to {b.Dimension} ({to})");
    }

    public override MappingValue Apply(MappingValue value, TransformScope scope)
    {
        if (value.IsMissing)
        {
            return MappingValue.Missing;
        }

        var converted = value.ToDecimal("unit") * factor;
        var rounded = decimals is { } places ? Math.Round(converted, places, MidpointRounding.AwayFromZero) : converted;

        // Without trailing zeros: 1250 g is 1.25 kg, not 1.250.
        return MappingValue.Of(rounded / 1.0000000000000000000000000000m);
    }
}
