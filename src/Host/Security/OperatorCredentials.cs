namespace Integration.Host.Security;

/// <summary>Reads what a request presents: <c>ApiKey &lt;key&gt;</c> or <c>Bearer &lt;key or token&gt;</c>.</summary>
internal static class OperatorCredentials
{
    public static string? KeyOf(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        var space = header.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0)
        {
            return null;
        }

        var scheme = header[..space];
        var value = header[(space + 1)..].Trim();
        return (scheme.Equals("ApiKey", StringComparison.OrdinalIgnoreCase) || scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase)) && value.Length > 0
            ? value
            : null;
    }

    /// <summary>A bearer value shaped as a JWT (three dot-separated parts).</summary>
    public static bool IsJwt(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header.Count(c => c == '.') == 2;
    }
}
