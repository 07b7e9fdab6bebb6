using System.Security.Cryptography;

namespace Integration.Workflows.Webhooks;

/// <summary>Base64 HMAC-SHA256 signatures as Shopify and WooCommerce compute them over the raw body.</summary>
public static class WebhookSignature
{
    /// <summary>The base64 HMAC-SHA256 of <paramref name="body"/> keyed by <paramref name="secret"/>.</summary>
    public static string Compute(ReadOnlySpan<byte> body, ReadOnlySpan<byte> secret)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(secret, body, mac);
        return Convert.ToBase64String(mac);
    }

    /// <summary>True when <paramref name="presented"/> is the base64 HMAC of the body under the secret (constant-time compare).</summary>
    public static bool Matches(ReadOnlySpan<byte> body, ReadOnlySpan<byte> secret, string? presented)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(secret, body, expected);
        Span<byte> given = stackalloc byte[64];
        if (!Convert.TryFromBase64String(presented, given, out var written) || written != expected.Length)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(expected, given[..written]);
    }
}
