using System.Text.Json.Nodes;
using Integration.Connectors.Shopify.Orders;

namespace Integration.Connectors.Shopify.Customers;

/// <summary>
/// A GraphQL customer in the REST/webhook shape (<c>customers/update</c>): snake_case, exact numeric id with
/// <c>admin_graphql_api_id</c>, tags as one comma-separated string, metafields as a namespace/key/value/type array.
/// </summary>
internal static class RestCustomerShape
{
    public static JsonObject From(JsonObject g) => new()
    {
        ["id"] = RestOrderShape.Id(g["id"]),
        ["admin_graphql_api_id"] = RestOrderShape.Text(g["id"]),
        ["email"] = RestOrderShape.Text(g["email"]),
        ["first_name"] = RestOrderShape.Text(g["firstName"]),
        ["last_name"] = RestOrderShape.Text(g["lastName"]),
        ["phone"] = RestOrderShape.Text(g["phone"]),
        ["note"] = RestOrderShape.Text(g["note"]),
        ["tags"] = string.Join(", ", (g["tags"] as JsonArray ?? []).Select(t => t?.GetValue<string>())),
        ["tax_exempt"] = g["taxExempt"]?.DeepClone(),
        ["state"] = RestOrderShape.Text(g["state"])?.ToLowerInvariant(),
        ["verified_email"] = g["verifiedEmail"]?.DeepClone(),
        ["created_at"] = RestOrderShape.Text(g["createdAt"]),
        ["updated_at"] = RestOrderShape.Text(g["updatedAt"]),
        ["default_address"] = RestOrderShape.Address(g["defaultAddress"]),
        ["metafields"] = new JsonArray([.. (g["metafields"]?["nodes"] as JsonArray ?? []).OfType<JsonObject>().Select(m => (JsonNode?)new JsonObject
        {
            ["namespace"] = m["namespace"]?.DeepClone(),
            ["key"] = m["key"]?.DeepClone(),
            ["value"] = m["value"]?.DeepClone(),
            ["type"] = m["type"]?.DeepClone(),
        })]),
    };
}
