using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Integration.Connectors.Shopify.Client;

/// <summary>A GraphQL request. Operations are always named, so logs, costs and the simulator can tell them apart.</summary>
internal sealed record GraphQLRequest(
    [property: JsonPropertyName("query")] string Query,
    [property: JsonPropertyName("operationName")] string OperationName,
    [property: JsonPropertyName("variables")] JsonObject? Variables);

[JsonSerializable(typeof(GraphQLRequest))]
[JsonSerializable(typeof(JsonObject))]
internal sealed partial class ShopifyJsonContext : JsonSerializerContext;
