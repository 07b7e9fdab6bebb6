using System.Text.Json.Nodes;

namespace Integration.Connectors.Shopify.Client;

/// <summary>
/// <c>extensions.cost</c> of a GraphQL answer: what the query was estimated to cost, what it cost, and the bucket
/// after it (<c>throttleStatus</c>: size, points left, points restored per second).
/// </summary>
public sealed record QueryCost(double RequestedQueryCost, double? ActualQueryCost, double MaximumAvailable, double CurrentlyAvailable, double RestoreRate)
{
    public static QueryCost? From(JsonNode? extensions)
    {
        if (extensions?["cost"] is not JsonObject cost || cost["throttleStatus"] is not JsonObject status)
        {
            return null;
        }

        return new QueryCost(
            Number(cost["requestedQueryCost"]) ?? 0,
            Number(cost["actualQueryCost"]),
            Number(status["maximumAvailable"]) ?? 0,
            Number(status["currentlyAvailable"]) ?? 0,
            Number(status["restoreRate"]) ?? 0);
    }

    private static double? Number(JsonNode? node) => node is JsonValue value && value.TryGetValue<double>(out var number) ? number : null;
}
