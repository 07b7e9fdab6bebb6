using System.Text.Json.Nodes;

namespace Integration.Simulators.Shopify;

/// <summary>Customers read (<c>Customer</c>) and changed (<c>customerUpdate</c>) through GraphQL, kept in the REST shape.</summary>
public sealed partial class ShopifySimulator
{
    private (JsonObject, double) Customer(GraphQLCall call)
    {
        var customer = State.CustomerById(NumericId(call.Variables["id"]));
        if (customer is null)
        {
            return (Data(new JsonObject { ["customer"] = null }), 1);
        }

        var metafields = (customer["metafields"] as JsonArray ?? []).OfType<JsonObject>().Take(call.FirstOf("metafields", 50)).ToList();
        return (Data(new JsonObject { ["customer"] = GraphQLCustomer(customer, metafields) }), 2 + 2 + metafields.Count);
    }

    private (JsonObject, double) CustomerUpdate(GraphQLCall call)
    {
        var input = call.Variables["input"] as JsonObject ?? [];
        var customer = State.CustomerById(NumericId(input["id"]));
        var errors = new List<(string[] Field, string? Code, string Message)>();
        if (customer is null)
        {
            errors.Add((["id"], null, "Customer does not exist"));
        }
        else if (input["email"] is JsonValue email && !email.GetValue<string>().Contains('@', StringComparison.Ordinal))
        {
            errors.Add((["email"], null, "Email is invalid"));
        }
        else
        {
            foreach (var (graphql, rest) in new[] { ("firstName", "first_name"), ("lastName", "last_name"), ("email", "email"), ("phone", "phone"), ("note", "note") })
            {
                if (input.ContainsKey(graphql))
                {
                    customer[rest] = input[graphql]?.DeepClone();
                }
            }

            if (input["tags"] is JsonArray tags)
            {
                customer["tags"] = string.Join(", ", tags.Select(t => t?.GetValue<string>()));
            }

            if (input["taxExempt"] is JsonValue exempt)
            {
                customer["tax_exempt"] = exempt.GetValue<bool>();
            }

            foreach (var m in (input["metafields"] as JsonArray ?? []).OfType<JsonObject>())
            {
                ShopifyShopState.SetCustomerMetafield(customer, m["namespace"]!.GetValue<string>(), m["key"]!.GetValue<string>(), m["value"]!.GetValue<string>(),
                    m["type"]?.GetValue<string>() ?? "single_line_text_field");
            }

            Touch(customer);
        }

        return (Data(new JsonObject
        {
            ["customerUpdate"] = new JsonObject
            {
                ["customer"] = customer is null || errors.Count > 0 ? null : new JsonObject { ["id"] = customer["admin_graphql_api_id"]!.DeepClone() },
                ["userErrors"] = UserErrors(errors),
            },
        }), MutationCost);
    }

    private void Touch(JsonObject record) =>
        record["updated_at"] = Options.Time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);

    private static JsonObject GraphQLCustomer(JsonObject c, IEnumerable<JsonObject> metafields) => new()
    {
        ["id"] = c["admin_graphql_api_id"]!.DeepClone(),
        ["firstName"] = GraphQLOrder.Text(c["first_name"]),
        ["lastName"] = GraphQLOrder.Text(c["last_name"]),
        ["email"] = GraphQLOrder.Text(c["email"]),
        ["phone"] = GraphQLOrder.Text(c["phone"]),
        ["note"] = GraphQLOrder.Text(c["note"]),
        ["tags"] = new JsonArray([.. (GraphQLOrder.Text(c["tags"]) ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(t => (JsonNode?)t)]),
        ["taxExempt"] = c["tax_exempt"]?.DeepClone() ?? false,
        ["state"] = (GraphQLOrder.Text(c["state"]) ?? "disabled").ToUpperInvariant(),
        ["verifiedEmail"] = c["verified_email"]?.DeepClone() ?? false,
        ["createdAt"] = GraphQLOrder.Text(c["created_at"]),
        ["updatedAt"] = GraphQLOrder.Text(c["updated_at"]),
        ["defaultAddress"] = GraphQLOrder.Address(c["default_address"]),
        ["metafields"] = new JsonObject
        {
            ["nodes"] = new JsonArray([.. metafields.Select(m => (JsonNode?)new JsonObject
            {
                ["namespace"] = m["namespace"]?.DeepClone(),
                ["key"] = m["key"]?.DeepClone(),
                ["value"] = m["value"]?.DeepClone(),
                ["type"] = m["type"]?.DeepClone(),
            })]),
            ["pageInfo"] = new JsonObject { ["hasNextPage"] = false, ["endCursor"] = null },
        },
    };
}
