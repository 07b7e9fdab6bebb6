using System.Security.Cryptography;
using System.Text.Json;

namespace Integration.Workflows.Webhooks;

/// <summary>
/// What a delivery says about its record, apart from when the store says it changed it: the SHA-256 of the body
/// without its top-level version properties (Shopify's <c>updated_at</c>, WooCommerce's <c>date_modified</c> and
/// <c>date_modified_gmt</c>). Two deliveries of one record with equal fingerprints carry the same record, so the later
/// one brings nothing a run of the earlier one did not see: Shopify's <c>orders/updated</c> after the host wrote a
/// metafield on the order (the metafield is not in the payload, only a new <c>updated_at</c>), or the
/// <c>orders/create</c>, <c>orders/updated</c> and <c>orders/paid</c> of one checkout.
/// </summary>
public static class DeliveryFingerprint
{
    /// <summary>
    /// The fingerprint of a JSON object's body, leaving out its top-level <paramref name="versionProperty"/> and
    /// <paramref name="otherVersionProperty"/> (name and value); null when the body is not a JSON object.
    /// </summary>
    public static byte[]? Of(ReadOnlySpan<byte> json, ReadOnlySpan<byte> versionProperty, ReadOnlySpan<byte> otherVersionProperty = default)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var from = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var start = (int)reader.TokenStartIndex;
                var left = reader.ValueTextEquals(versionProperty) || (!otherVersionProperty.IsEmpty && reader.ValueTextEquals(otherVersionProperty));
                reader.Read();
                reader.Skip();
                if (left)
                {
                    hash.AppendData(json[from..start]);
                    from = (int)reader.BytesConsumed;
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject)
            {
                return null;
            }

            hash.AppendData(json[from..]);
            return hash.GetHashAndReset();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
