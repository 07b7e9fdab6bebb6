using System.Text.Json.Nodes;
using Integration.Connectors.Shopify.Client;
using Integration.Connectors.Shopify.Metafields;
using Integration.Connectors.Shopify.Orders;

namespace Integration.Connectors.Shopify.Customers;

/// <summary>
/// Reads and updates customers with changes in the REST/webhook shape a mapping writes towards Shopify: contact fields
/// through <c>customerUpdate</c>, <c>metafields</c> through <c>metafieldsSet</c> (namespace <c>erp</c> when not given).
/// </summary>
public sealed class ShopifyCustomers(ShopifyAdminClients clients, ShopifyMetafields metafields)
{
    public const string DefaultNamespace = "erp";

    private const string Address = "firstName lastName name company address1 address2 city province provinceCode zip country countryCodeV2 phone latitude longitude";

    internal const string Query =
        "query Customer($id: ID!) { customer(id: $id) { id firstName lastName email phone note tags taxExempt state verifiedEmail createdAt updatedAt "
        + "defaultAddress { " + Address + " } metafields(first: 50) { nodes { namespace key value type } pageInfo { hasNextPage endCursor } } } }";

    internal const string Mutation =
        "mutation CustomerUpdate($input: CustomerInput!) { customerUpdate(input: $input) { customer { id } userErrors { field message } } }";

    // REST field -> CustomerInput field. Addresses are the store's to master (the mapping says so) and are not written.
    private static readonly (string RestName, string GraphQLName)[] Fields =
        [("first_name", "firstName"), ("last_name", "lastName"), ("email", "email"), ("phone", "phone"), ("note", "note")];

    /// <summary>The customer in the REST/webhook shape; null when the store has none.</summary>
    public async Task<JsonObject?> GetAsync(string? store, string customerId, CancellationToken cancellationToken = default)
    {
        var data = await clients.For(store).ExecuteAsync("Customer", Query,
            new JsonObject { ["id"] = ShopifyGid.Format("Customer", ShopifyGid.Parse(customerId, "Customer")) }, estimatedCost: 60, cancellationToken: cancellationToken);
        return data["customer"] is JsonObject customer ? RestCustomerShape.From(customer) : null;
    }

    /// <summary>Applies <paramref name="changes"/> and returns the customer as it is after them; null when the store has no such customer.</summary>
    public async Task<JsonObject?> UpdateAsync(string? store, string customerId, JsonObject changes, CancellationToken cancellationToken = default)
    {
        var gid = ShopifyGid.Format("Customer", ShopifyGid.Parse(customerId, "Customer"));
        if (await GetAsync(store, gid, cancellationToken) is null)
        {
            return null;
        }

        var input = new JsonObject { ["id"] = gid };
        foreach (var (rest, graphql) in Fields)
        {
            if (changes.TryGetPropertyValue(rest, out var value))
            {
                input[graphql] = value is null ? null : RestOrderShape.Text(value);
            }
        }

        if (changes.TryGetPropertyValue("tags", out var tags))
        {
            input["tags"] = tags switch
            {
                JsonArray list => new JsonArray([.. list.Select(t => (JsonNode?)RestOrderShape.Text(t))]),
                null => new JsonArray(),
                _ => new JsonArray([.. (RestOrderShape.Text(tags) ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(t => (JsonNode?)t)]),
            };
        }

        if (changes["tax_exempt"] is JsonValue exempt && exempt.TryGetValue<bool>(out var isExempt))
        {
            input["taxExempt"] = isExempt;
        }

        if (input.Count > 1)
        {
            await clients.For(store).MutateAsync("CustomerUpdate", "customerUpdate", Mutation, new JsonObject { ["input"] = input }, estimatedCost: 10, cancellationToken: cancellationToken);
        }

        var values = Metafields(changes["metafields"]);
        if (values.Count > 0)
        {
            await metafields.SetAsync(store, gid, values, cancellationToken);
        }

        return await GetAsync(store, gid, cancellationToken);
    }

    // A mapping writes metafields[key=credit_limit].value: entries may lack namespace and type. A null value is left out
    // (clearing would need metafieldsDelete, which nothing asks for yet).
    private static List<MetafieldValue> Metafields(JsonNode? node) =>
        [.. (node as JsonArray ?? []).OfType<JsonObject>()
            .Where(m => RestOrderShape.Text(m["key"]) is { Length: > 0 } && m["value"] is not null)
            .Select(m => new MetafieldValue(
                RestOrderShape.Text(m["namespace"]) is { Length: > 0 } ns ? ns : DefaultNamespace,
                RestOrderShape.Text(m["key"])!,
                RestOrderShape.Text(m["value"])!,
                RestOrderShape.Text(m["type"]) is { Length: > 0 } type ? type : MetafieldValue.DefaultType))];
}
