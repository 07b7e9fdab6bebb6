using Integration.Mappings.Definitions;

namespace Integration.Mappings.Transforms;

/// <summary>
/// <c>round</c>: a number to <c>decimals</c> places, or to the precision of a currency (<c>currency</c>, or the code
/// at <c>currencyPath</c>), with an explicit mode (<c>awayFromZero</c> by default, as money is rounded in the house).
/// </summary>
public sealed class RoundTransform(int? decimals, string? currency, FieldPath? currencyPath, MidpointRounding mode) : ValueTransform
{
    private static readonly Dictionary<string, int> CurrencyDecimals = new(StringComparer.OrdinalIgnoreCase)
    {
        ["EGP"] = 2, ["USD"] = 2, ["EUR"] = 2, ["GBP"] = 2, ["SAR"] = 2, ["AED"] = 2, ["INR"] = 2, ["CAD"] = 2, ["QAR"] = 2,
        ["JPY"] = 0, ["KRW"] = 0, ["KWD"] = 3, ["BHD"] = 3, ["OMR"] = 3, ["JOD"] = 3, ["TND"] = 3, ["LYD"] = 3,
    };

    public override string Name => "round";

    public static bool IsKnownCurrency(string code) => CurrencyDecimals.ContainsKey(code);

    public static IReadOnlyList<string> Modes { get; } = ["awayFromZero", "toEven", "toZero", "up", "down"];

    public static MidpointRounding? Mode(string? name) => name switch
    {
        null or "awayFromZero" => MidpointRounding.AwayFromZero,
        "toEven" => MidpointRounding.ToEven,
        "toZero" => MidpointRounding.ToZero,
        "up" => MidpointRounding.ToPositiveInfinity,
        "down" => MidpointRounding.ToNegativeInfinity,
        _ => null,
    };

    public override MappingValue Apply(MappingValue value, TransformScope scope)
    {
        if (value.IsMissing)
        {
            return MappingValue.Missing;
        }

        var number = value.ToDecimal("round");
        var places = decimals ?? Precision(currency ?? JsonValues.Text(scope.Read(currencyPath!)));
        // Written with exactly that many places (450 to 2 places is 450.00), as money is shown.
        return MappingValue.Of(Math.Round(Math.Round(number, places, mode) * Scale[places], places));
    }

    private static readonly decimal[] Scale = [1m, 1.0m, 1.00m, 1.000m, 1.0000m, 1.00000m, 1.000000m, 1.0000000m, 1.00000000m, 1.000000000m, 1.0000000000m];

    private static int Precision(string? code) =>
        code is not null && CurrencyDecimals.TryGetValue(code, out var places) ? places : throw new MappingValueException($"round: unknown currency '{code}'");
}
