using System.Globalization;

namespace Integration.Sandbox;

/// <summary>Store amounts: rounded to the piaster away from zero, written with two decimals as the stores' APIs do.</summary>
public static class Money
{
    public static decimal Round(decimal value) => Math.Round(value, 2, MidpointRounding.AwayFromZero);

    public static string Text(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);
}
