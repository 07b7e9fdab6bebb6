using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Integration.Connectors.WooCommerce.Client;

/// <summary>The bodies the client sends: WooCommerce's own JSON, built as nodes (the mappings shape it).</summary>
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonArray))]
[JsonSerializable(typeof(JsonNode))]
internal sealed partial class WooCommerceJsonContext : JsonSerializerContext;
