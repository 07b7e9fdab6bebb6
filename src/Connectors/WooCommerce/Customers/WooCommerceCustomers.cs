using System.Text.Json.Nodes;
using Integration.Connectors.WooCommerce.Client;

namespace Integration.Connectors.WooCommerce.Customers;

/// <summary>Reads a store's customers through the REST API.</summary>
public sealed class WooCommerceCustomers(WooCommerceClients clients)
{
    /// <summary>One customer as the store has it now; null when there is none with that id.</summary>
    public Task<JsonObject?> GetAsync(string? store, long customerId, CancellationToken cancellationToken = default) =>
        clients.For(store).FindAsync("GetCustomer", (api, ct) => api.GetCustomerAsync(customerId, ct), cancellationToken);
}
