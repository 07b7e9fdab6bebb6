namespace Integration.Workflows.Triggers;

/// <summary>
/// Request headers that carry a caller's credentials. They are dropped before a request's headers are stored (a
/// webhook delivery, an HTTP-started run's input), so no operator with read access ever sees them.
/// </summary>
public static class CredentialHeaders
{
    private static readonly HashSet<string> Names = new(
        ["Authorization", "Proxy-Authorization", "Cookie", "X-Shopify-Access-Token", "X-Api-Key"],
        StringComparer.OrdinalIgnoreCase);

    public static bool Contains(string name) => Names.Contains(name);
}
