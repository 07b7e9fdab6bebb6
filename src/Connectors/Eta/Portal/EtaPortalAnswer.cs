using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Integration.Connectors.Eta.Portal;

/// <summary>One HTTP answer of the identity service or the API, read: status, Retry-After and the JSON body if it is JSON.</summary>
internal sealed record EtaPortalAnswer(HttpStatusCode Status, TimeSpan? RetryAfter, JsonNode? Body, string Text)
{
    // ETA's casing varies between documents and environments (submissionId, submissionUUID, submissionUuid).
    private static readonly JsonNodeOptions CaseInsensitive = new() { PropertyNameCaseInsensitive = true };

    public int StatusCode => (int)Status;

    public bool IsSuccess => StatusCode is >= 200 and < 300;

    /// <summary>
    /// Not the portal's JSON: an HTML page (ETA's WAF answers "Request Rejected" pages, even with 200), garbage, or a
    /// success without a body.
    /// </summary>
    public bool IsUnreadable => Body is null && (IsSuccess || !string.IsNullOrWhiteSpace(Text));

    /// <summary>ETA's error code: <c>error.code</c>, <c>error</c> (token refusals) or <c>code</c>.</summary>
    public string? ErrorCode => Body?["error"] switch
    {
        JsonObject error => Str(error["code"]) ?? Str(error["errorCode"]),
        JsonValue value => Str(value),
        _ => Str(Body?["code"]),
    };

    /// <summary>What the portal said went wrong, or the start of the page when it is not JSON.</summary>
    public string Describe()
    {
        var message = Body?["error"] is JsonObject error ? Str(error["message"]) ?? Str(error["error"]) : null;
        message ??= Str(Body?["error_description"]) ?? Str(Body?["message"]);
        var code = ErrorCode;
        var what = message is null ? code : code is null ? message : $"{code}: {message}";
        return what ?? (string.IsNullOrWhiteSpace(Text) ? "(empty answer)" : Truncate(Text));
    }

    public static async Task<EtaPortalAnswer> ReadAsync(HttpResponseMessage response, TimeProvider time, CancellationToken cancellationToken)
    {
        using (response)
        {
            var retryAfter = response.Headers.RetryAfter switch
            {
                { Delta: { } delta } => delta,
                { Date: { } date } => date - time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
                // Fractions ("1.5") are refused by the typed header.
                _ => response.Headers.TryGetValues("Retry-After", out var values)
                     && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
                    ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null,
            };
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            JsonNode? body = null;
            try
            {
                body = string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text, CaseInsensitive);
            }
            catch (JsonException)
            {
                // A WAF or proxy page: kept as text for the error message.
            }

            return new EtaPortalAnswer(response.StatusCode, retryAfter, body, text);
        }
    }

    internal static string? Str(JsonNode? node) => node is JsonValue value
        ? value.TryGetValue<string>(out var text) ? text : value.ToJsonString()
        : null;

    private static string Truncate(string text)
    {
        var flat = text.ReplaceLineEndings(" ").Trim();
        return flat.Length <= 200 ? flat : flat[..200] + "…";
    }
}
