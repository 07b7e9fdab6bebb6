using System.Globalization;
using System.Text.Json.Nodes;

namespace Integration.Simulators.Shopify;

/// <summary>
/// Customers, kept in the REST/webhook shape (<c>customers/update</c> body) with their metafields, so a test can send
/// exactly what Shopify would send after the connector changed one.
/// </summary>
public sealed partial class ShopifyShopState
{
    private readonly Dictionary<long, JsonObject> _customers = [];

    /// <summary>Adds or replaces a customer given in the REST/webhook shape; returns its id.</summary>
    public long AddCustomer(string restJson) => AddCustomer(JsonNode.Parse(restJson)!.AsObject());

    public long AddCustomer(JsonObject customer)
    {
        lock (Gate)
        {
            var copy = customer.DeepClone().AsObject();
            var id = IdOf(copy, "Customer") ?? NextId();
            copy["id"] = id;
            copy["admin_graphql_api_id"] = "gid://shopify/Customer/" + id.ToString(CultureInfo.InvariantCulture);
            copy["metafields"] ??= new JsonArray();
            copy["updated_at"] ??= "2026-01-01T00:00:00Z";
            _customers[id] = copy;
            return id;
        }
    }

    /// <summary>
    /// The <c>customers/update</c> webhook body of the customer as it is now (REST shape with <c>admin_graphql_api_id</c>
    /// and a <c>metafields</c> array of namespace/key/value/type), or null when there is no such customer.
    /// </summary>
    public JsonObject? Customer(long id)
    {
        lock (Gate)
        {
            return _customers.TryGetValue(id, out var customer) ? customer.DeepClone().AsObject() : null;
        }
    }

    internal JsonObject? CustomerById(long id) => _customers.GetValueOrDefault(id);

    // An order's customer becomes a shop customer the first time it is seen, as at Shopify.
    private void KeepCustomer(JsonObject fromOrder)
    {
        var id = fromOrder["id"]!.GetValue<long>();
        if (_customers.ContainsKey(id))
        {
            return;
        }

        var copy = fromOrder.DeepClone().AsObject();
        copy["admin_graphql_api_id"] = "gid://shopify/Customer/" + id.ToString(CultureInfo.InvariantCulture);
        copy["metafields"] ??= new JsonArray();
        copy["updated_at"] ??= "2026-01-01T00:00:00Z";
        _customers[id] = copy;
    }

    internal static void SetCustomerMetafield(JsonObject customer, string ns, string key, string value, string type)
    {
        var metafields = customer["metafields"] as JsonArray ?? [];
        customer["metafields"] = metafields;
        var existing = metafields.OfType<JsonObject>().FirstOrDefault(m => m["namespace"]?.GetValue<string>() == ns && m["key"]?.GetValue<string>() == key);
        if (existing is null)
        {
            metafields.Add(new JsonObject { ["namespace"] = ns, ["key"] = key, ["value"] = value, ["type"] = type });
        }
        else
        {
            existing["value"] = value;
            existing["type"] = type;
        }
    }
}
