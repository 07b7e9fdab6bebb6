using System.Net;
using System.Text.Json.Nodes;

namespace Integration.Connectors.Shopify.Client;

/// <summary>One HTTP answer of the GraphQL endpoint, read: status, Retry-After, data, errors and cost.</summary>
internal sealed record ShopifyGraphQLResponse(HttpStatusCode Status, TimeSpan? RetryAfter, JsonObject? Data, JsonArray? Errors, QueryCost? Cost, string? RawError)
{
    /// <summary>Shopify throttled the query: HTTP 429, or a 200 whose errors say <c>THROTTLED</c>.</summary>
    public bool IsThrottled => Status == HttpStatusCode.TooManyRequests || HasErrorCode("THROTTLED");

    public bool IsServerError => (int)Status >= 500;

    public bool HasErrorCode(string code) =>
        Errors?.Any(e => e?["extensions"]?["code"] is JsonValue v && v.TryGetValue<string>(out var c) && c == code) == true;

    public static async Task<ShopifyGraphQLResponse> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using (response)
        {
            var retryAfter = response.Headers.RetryAfter switch
            {
                { Delta: { } delta } => delta,
                { Date: { } date } => date - DateTimeOffset.UtcNow,
                // Shopify sends fractions ("2.0"), which the typed header refuses.
                _ => response.Headers.TryGetValues("Retry-After", out var values)
                     && double.TryParse(values.FirstOrDefault(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
                    ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null,
            };
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            JsonObject? body = null;
            try
            {
                body = string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text) as JsonObject;
            }
            catch (System.Text.Json.JsonException)
            {
                // An HTML error page from a proxy: kept as text for the error message.
            }

            return new ShopifyGraphQLResponse(
                response.StatusCode,
                retryAfter,
                body?["data"] as JsonObject,
                body?["errors"] as JsonArray,
                QueryCost.From(body?["extensions"]),
                // REST-style answers (401, 429) carry "errors" as one string.
                body is null ? Truncate(text) : body["errors"] is JsonValue message ? message.ToString() : null);
        }
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
