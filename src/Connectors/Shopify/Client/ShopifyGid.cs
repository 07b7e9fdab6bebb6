using System.Globalization;

namespace Integration.Connectors.Shopify.Client;

/// <summary>
/// Shopify ids: int64 numbers in REST/webhook payloads, <c>gid://shopify/{Type}/{id}</c> in GraphQL. The numbers exceed
/// 2^53, so they are parsed as <see cref="long"/> from text, never through a double.
/// </summary>
public static class ShopifyGid
{
    private const string Prefix = "gid://shopify/";

    /// <summary>The gid of a numeric id, e.g. <c>gid://shopify/Order/820982911946154508</c>.</summary>
    public static string Format(string type, long id) => Prefix + type + "/" + id.ToString(CultureInfo.InvariantCulture);

    /// <summary>Reads a numeric id or a gid of <paramref name="type"/> (any type when null); query strings on gids are ignored.</summary>
    public static bool TryParse(string? text, string? type, out long id)
    {
        id = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var value = text.Trim();
        if (value.StartsWith(Prefix, StringComparison.Ordinal))
        {
            var rest = value[Prefix.Length..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0 || (type is not null && !rest[..slash].Equals(type, StringComparison.Ordinal)))
            {
                return false;
            }

            value = rest[(slash + 1)..];
            var query = value.IndexOf('?', StringComparison.Ordinal);
            if (query >= 0)
            {
                value = value[..query];
            }
        }

        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0;
    }

    /// <summary>The numeric id of a numeric id or gid; throws with the text when it is neither.</summary>
    public static long Parse(string? text, string type) =>
        TryParse(text, type, out var id) ? id : throw new FormatException($"'{text}' is not a Shopify {type} id (a number or {Prefix}{type}/N).");
}
