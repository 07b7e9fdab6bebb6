using System.Globalization;

namespace Integration.Erp.Stock;

/// <summary>PostgreSQL's <c>pg_snapshot</c> as text, <c>xmin:xmax:xip,...</c>: the transactions running when it was taken.</summary>
internal sealed record PgSnapshot(long Xmin, long Xmax, IReadOnlyList<long> Running)
{
    public static PgSnapshot Parse(string text)
    {
        var parts = text.Split(':');
        if (parts.Length != 3)
        {
            throw new FormatException($"Not a pg_snapshot: '{text}'.");
        }

        return new PgSnapshot(
            long.Parse(parts[0], CultureInfo.InvariantCulture),
            long.Parse(parts[1], CultureInfo.InvariantCulture),
            parts[2].Length == 0 ? [] : [.. parts[2].Split(',').Select(x => long.Parse(x, CultureInfo.InvariantCulture))]);
    }
}
