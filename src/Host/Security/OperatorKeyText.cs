using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace Integration.Host.Security;

/// <summary>
/// The text of an operator key: <c>ih_&lt;id&gt;_&lt;secret&gt;</c>, a 12-character public id (finds the row) and a
/// 256-bit random secret (base64url). Only the SHA-256 of the whole key is stored.
/// </summary>
internal static partial class OperatorKeyText
{
    private const string Prefix = "ih_";

    public static (string Id, string Key) Create()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (id, $"{Prefix}{id}_{secret}");
    }

    /// <summary>The id of a key in our format, or false for anything else (e.g. a configured key).</summary>
    public static bool TryGetId(string key, [NotNullWhen(true)] out string? id)
    {
        id = null;
        if (!key.StartsWith(Prefix, StringComparison.Ordinal) || key.Length < Prefix.Length + 14 || key[Prefix.Length + 12] != '_')
        {
            return false;
        }

        var candidate = key.Substring(Prefix.Length, 12);
        if (!candidate.All(char.IsAsciiHexDigitLower))
        {
            return false;
        }

        id = candidate;
        return true;
    }

    /// <summary>
    /// The text with the secret of every key in our format in it replaced by <c>***</c> (the id kept): a key sent where
    /// its id was expected (a revoke's path) must not reach the log whole, above all when the call is refused. Anything
    /// else in a revoke's path but an id is masked whole: it may be a configured key (<c>Operators:ApiKeys</c>), which
    /// has no format of ours to recognise.
    /// </summary>
    public static string Masked(string text)
    {
        var masked = text.Contains(Prefix, StringComparison.Ordinal) ? KeyPattern().Replace(text, Prefix + "$1_***") : text;
        return masked.Contains("/operator-keys/", StringComparison.OrdinalIgnoreCase) ? RevokedNotById().Replace(masked, "$1***$2") : masked;
    }

    [System.Text.RegularExpressions.GeneratedRegex("ih_([0-9a-f]{12})_[A-Za-z0-9_-]+")]
    private static partial System.Text.RegularExpressions.Regex KeyPattern();

    // Lazily up to "/revoke": a configured key may hold '/' itself (base64).
    [System.Text.RegularExpressions.GeneratedRegex("(/operator-keys/)(?!(?:[0-9a-f]{12}|ih_[0-9a-f]{12}_\\*\\*\\*)/revoke)[^?#\\s]+?(/revoke)", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex RevokedNotById();

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>Constant-time comparison of two hashes.</summary>
    public static bool Matches(byte[] storedHash, string candidate) =>
        CryptographicOperations.FixedTimeEquals(storedHash, Hash(candidate));
}
