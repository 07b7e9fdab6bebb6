using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Integration.Designer.Access;

/// <summary>
/// Who may use the designer: a request carrying a configured key (<c>Authorization: ApiKey key</c>, as Elsa Studio sends
/// it, or <c>Bearer key</c>), or, for the pages and Studio's files a browser loads, the session cookie that signing in
/// with a key sets. The cookie holds an HMAC of the key, never the key, and is worthless once the key is removed.
/// </summary>
internal sealed class OperatorKeys(IOptionsMonitor<DesignerOptions> options)
{
    public const string SessionCookie = "designer_session";

    public bool AnyConfigured => Keys.Count > 0;

    private List<string> Keys => [.. options.CurrentValue.ApiKeys.Where(k => !string.IsNullOrWhiteSpace(k))];

    public bool IsValidKey(string? candidate) =>
        candidate is { Length: > 0 } && Keys.Any(key => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(candidate)));

    /// <summary>Whether the request carries a configured key in its Authorization header.</summary>
    public bool HasKey(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        var space = header.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0)
        {
            return false;
        }

        var scheme = header[..space];
        return (scheme.Equals("ApiKey", StringComparison.OrdinalIgnoreCase) || scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
            && IsValidKey(header[(space + 1)..].Trim());
    }

    public bool HasSession(HttpRequest request) =>
        request.Cookies.TryGetValue(SessionCookie, out var value) && value is { Length: > 0 }
        && Keys.Any(key => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(SessionOf(key)), Encoding.ASCII.GetBytes(value)));

    public static string SessionOf(string key) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), "integration-host designer session"u8));
}
