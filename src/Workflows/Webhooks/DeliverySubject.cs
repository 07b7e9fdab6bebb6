using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Integration.Workflows.Webhooks;

/// <summary>
/// The record a delivery is about (<c>order:450789469</c>) and the store's modification time of the version it
/// carries. The inbox keeps both, so a reconciliation can tell which versions the webhooks already brought and feed
/// only the ones they missed.
/// </summary>
/// <param name="Key">The kind and the store's id, e.g. <c>order:450789469</c>.</param>
/// <param name="Version">When the store last modified the record, as the payload says.</param>
public readonly record struct DeliverySubject(string Key, DateTimeOffset Version)
{
    /// <summary>
    /// Reads the subject from a JSON object's top-level id and version properties; null when the body is not such an
    /// object or lacks either (a malformed body is the inbox's to poison, not this reader's to refuse).
    /// </summary>
    public static DeliverySubject? Read(ReadOnlySpan<byte> json, string kind, ReadOnlySpan<byte> idProperty, ReadOnlySpan<byte> versionProperty)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            string? id = null;
            string? version = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName && (id is null || version is null))
            {
                var isId = reader.ValueTextEquals(idProperty);
                var isVersion = !isId && reader.ValueTextEquals(versionProperty);
                reader.Read();
                if (isId)
                {
                    id = Scalar(ref reader);
                }
                else if (isVersion)
                {
                    version = Scalar(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }

            return Of(kind, id, version);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The subject of a store's delivery on <paramref name="topic"/>: orders, products and customers (Shopify's
    /// <c>orders/updated</c>, WooCommerce's <c>order.updated</c>) carry their id and <paramref name="versionProperty"/>
    /// at the top; other topics have none.
    /// </summary>
    public static DeliverySubject? ForTopic(string? topic, ReadOnlySpan<byte> json, ReadOnlySpan<byte> versionProperty)
    {
        var resource = topic?.Split('/', '.')[0];
        var kind = resource?.EndsWith('s') == true ? resource[..^1] : resource;
        return kind is "order" or "product" or "customer" ? Read(json, kind, "id"u8, versionProperty) : null;
    }

    /// <summary>The same reading from a parsed document (a listing's item).</summary>
    public static DeliverySubject? From(JsonNode? document, string kind, string idProperty, string versionProperty) =>
        document is JsonObject item ? Of(kind, Scalar(item[idProperty]), Scalar(item[versionProperty])) : null;

    /// <summary>
    /// A store's modification time: ISO 8601, with or without an offset (WooCommerce's <c>date_modified_gmt</c> has
    /// none and is UTC).
    /// </summary>
    public static bool TryParseVersion(string? text, out DateTimeOffset version) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out version);

    private static DeliverySubject? Of(string kind, string? id, string? version) =>
        string.IsNullOrEmpty(id) || !TryParseVersion(version, out var at) ? null : new DeliverySubject(kind + ":" + id, at);

    private static string? Scalar(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        // Ids are 64-bit: kept as the digits sent, never through a double.
        JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
        _ => null,
    };

    private static string? Scalar(JsonNode? node) => node is JsonValue value
        ? value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.Number => value.ToJsonString(),
            _ => null,
        }
        : null;
}
