using System.Text.Json.Nodes;
using Integration.Connectors.WooCommerce.Client;

namespace Integration.Connectors.WooCommerce.Customers;

/// <summary>Reads and updates a store's customers through the REST API.</summary>
public sealed class WooCommerceCustomers(WooCommerceClients clients)
{
    /// <summary>One customer as the store has it now; null when there is none with that id.</summary>
    public Task<JsonObject?> GetAsync(string? store, long customerId, CancellationToken cancellationToken = default) =>
        clients.For(store).FindAsync("GetCustomer", (api, ct) => api.GetCustomerAsync(customerId, ct), cancellationToken);

    /// <summary>
    /// Writes changes to a customer (REST v3 shape; <c>meta_data</c> entries are matched by key, as WooCommerce does, so
    /// other meta stays); returns the customer after, or null when the store has no customer with that id.
    /// </summary>
    public Task<JsonObject?> UpdateAsync(string? store, long customerId, JsonObject changes, CancellationToken cancellationToken = default)
    {
        var body = changes.DeepClone().AsObject();
        body.Remove("id");
        return clients.For(store).FindAsync("UpdateCustomer", (api, ct) => api.UpdateCustomerAsync(customerId, body, ct), cancellationToken);
    }
}
