using System.Globalization;

namespace Integration.Connectors.Eta.Canonical;

/// <summary>
/// The one place amounts are rounded for the portal: at most 5 decimals, half away from zero, trailing zeros dropped,
/// never an exponent. <c>250.00</c> and <c>250</c> hash differently, so every number goes through here once.
/// </summary>
public static class EtaAmount
{
    public const int Decimals = 5;

    public static decimal Round(decimal value)
    {
        var rounded = Math.Round(value, Decimals, MidpointRounding.AwayFromZero);
        // Dropping the scale's trailing zeros makes 250.00m print as 250.
        return decimal.Parse(rounded.ToString("0.#####", CultureInfo.InvariantCulture), NumberStyles.Number, CultureInfo.InvariantCulture);
    }
}
