using System.Globalization;

namespace Integration.Host.Security;

/// <summary>A key's lifetime as an operator writes it: <c>90d</c>, <c>12h</c>, <c>30m</c> or a TimeSpan; always positive.</summary>
internal static class OperatorKeyLifetime
{
    public const string Format = "90d, 12h, 30m or 1.00:00:00";

    public static bool TryParse(string text, out TimeSpan lifetime)
    {
        text = text.Trim();
        lifetime = default;
        if (text.Length > 1 && long.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var amount) && amount > 0 && amount < 100_000)
        {
            lifetime = char.ToLowerInvariant(text[^1]) switch
            {
                'd' => TimeSpan.FromDays(amount),
                'h' => TimeSpan.FromHours(amount),
                'm' => TimeSpan.FromMinutes(amount),
                _ => default,
            };
        }
        else if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span))
        {
            lifetime = span;
        }

        return lifetime > TimeSpan.Zero;
    }
}
