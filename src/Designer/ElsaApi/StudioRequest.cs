using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Integration.Designer.ElsaApi;

/// <summary>
/// What Studio asked, from a JSON body (POST) or the query string (GET), read the same way: Elsa's clients send the
/// same request either way, with camelCase names and enums as names or numbers.
/// </summary>
internal sealed class StudioRequest(JsonObject body, IQueryCollection query)
{
    public static async Task<StudioRequest> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        JsonObject body = [];
        if (request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true)
        {
            try
            {
                body = await JsonNode.ParseAsync(request.Body, cancellationToken: cancellationToken) as JsonObject ?? [];
            }
            catch (JsonException)
            {
                // An empty or malformed body asks for nothing in particular.
            }
        }

        return new StudioRequest(body, request.Query);
    }

    public string? String(string name) =>
        Find(name) is JsonValue value ? value.ToString() : query.FirstOrDefault(q => q.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value.FirstOrDefault();

    public int? Int(string name) => int.TryParse(String(name), out var value) ? value : null;

    public bool? Bool(string name) => bool.TryParse(String(name), out var value) ? value : null;

    public JsonObject? Object(string name) => Find(name) as JsonObject;

    public IEnumerable<string> Strings(string name) =>
        Find(name) is JsonArray array ? Strings(array)
        : query.Where(q => q.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).SelectMany(q => q.Value).OfType<string>().Where(v => v.Length > 0);

    public static IEnumerable<string> Strings(JsonNode? node) =>
        node is JsonArray array ? array.Select(item => item?.ToString()).OfType<string>().Where(v => v.Length > 0) : [];

    /// <summary>Elsa's <c>WorkflowStatus</c> by name or number.</summary>
    public static string WorkflowStatus(string value) => value switch
    {
        "0" => "Running",
        "1" => "Finished",
        _ => value,
    };

    /// <summary>Elsa's <c>WorkflowSubStatus</c> by name or number.</summary>
    public static string WorkflowSubStatus(string value) =>
        int.TryParse(value, out var number) && number is >= 0 and < 7
            ? new[] { "Pending", "Executing", "Suspended", "Finished", "Cancelled", "Faulted", "Interrupted" }[number]
            : value;

    private JsonNode? Find(string name) => body.FirstOrDefault(p => p.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;
}
