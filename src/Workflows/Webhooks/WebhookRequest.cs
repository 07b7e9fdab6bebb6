namespace Integration.Workflows.Webhooks;

/// <summary>One HTTP delivery as received: the store named in the route (if any), headers and the raw body bytes.</summary>
/// <param name="RouteStore">The <c>{store}</c> route segment, or null when the route has none.</param>
/// <param name="Headers">Request headers; look-ups ignore case.</param>
/// <param name="Body">The raw body, exactly as received (signatures are computed over these bytes).</param>
/// <param name="ContentType">The Content-Type header, if any.</param>
public sealed record WebhookRequest(
    string? RouteStore,
    IReadOnlyDictionary<string, string> Headers,
    ReadOnlyMemory<byte> Body,
    string? ContentType)
{
    /// <summary>The first of the given header names that is present and not blank.</summary>
    public string? Header(params ReadOnlySpan<string> names)
    {
        foreach (var name in names)
        {
            if (Headers.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value))
            {
                return value.Trim();
            }
        }

        return null;
    }
}
