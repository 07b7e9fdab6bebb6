using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Integration.Connectors.WooCommerce.Client;

/// <summary>One answer of the REST API, read whole inside the attempt (so a retry never holds an open response).</summary>
public sealed record WooCommerceResponse(HttpStatusCode Status, JsonNode? Body, string? RawBody, TimeSpan? RetryAfter, int? Total, int? TotalPages)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;

    public bool IsServerError => (int)Status >= 500;

    public bool IsThrottled => Status == HttpStatusCode.TooManyRequests;

    /// <summary>WooCommerce's error code (<c>code</c> of the error body), when the answer is one.</summary>
    public string? ErrorCode => Body is JsonObject o && o["code"] is JsonValue v && v.TryGetValue<string>(out var code) ? code : null;

    /// <summary>WooCommerce's error message (<c>message</c> of the error body), when the answer is one.</summary>
    public string? ErrorMessage => Body is JsonObject o && o["message"] is JsonValue v && v.TryGetValue<string>(out var message) ? message : null;

    internal static async Task<WooCommerceResponse> ReadAsync(HttpResponseMessage response, TimeProvider time, CancellationToken cancellationToken)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            JsonNode? body = null;
            if (!string.IsNullOrWhiteSpace(text))
            {
                try
                {
                    body = JsonNode.Parse(text);
                }
                catch (JsonException)
                {
                    // A PHP notice or a host's HTML error page instead of JSON: kept raw for the message.
                }
            }

            return new WooCommerceResponse(response.StatusCode, body, body is null ? Shorten(text) : null, ReadRetryAfter(response, time),
                Header(response, "X-WP-Total"), Header(response, "X-WP-TotalPages"));
        }
    }

    private static TimeSpan? ReadRetryAfter(HttpResponseMessage response, TimeProvider time)
    {
        if (response.Headers.RetryAfter is { } after)
        {
            return after.Delta ?? (after.Date is { } date ? date - time.GetUtcNow() : null);
        }

        // Some hosts send fractional seconds, which the typed header refuses.
        return response.Headers.TryGetValues("Retry-After", out var values)
            && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : null;
    }

    private static int? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) && int.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static string? Shorten(string text) => string.IsNullOrWhiteSpace(text) ? null : text.Length <= 300 ? text.Trim() : text[..300].Trim() + "...";
}
