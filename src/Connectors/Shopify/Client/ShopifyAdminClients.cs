using System.Collections.Concurrent;
using Integration.Connectors.Shopify.Stores;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Refit;

namespace Integration.Connectors.Shopify.Client;

/// <summary>One <see cref="ShopifyAdminClient"/> per store, kept for the host's life so each store has one bucket and one breaker.</summary>
public sealed class ShopifyAdminClients(
    ShopifyStores stores, IHttpClientFactory httpClients, IOptions<ShopifyResilienceOptions> resilience, TimeProvider time, ILoggerFactory loggers)
{
    internal const string HttpClientName = "shopify";

    private static readonly RefitSettings Settings = new() { ContentSerializer = SystemTextJsonContentSerializer.ForContext(ShopifyJsonContext.Default) };

    private readonly ConcurrentDictionary<string, ShopifyAdminClient> _clients = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The stores whose client has paused calls as the store is down (see <see cref="Integration.Workflows.Connectors.OutageBreaker"/>).</summary>
    public IReadOnlyList<string> PausedStores() => [.. _clients.Values.Where(c => c.Outage.IsPaused).Select(c => c.Store).Order(StringComparer.Ordinal)];

    /// <summary>The client of a store (Name or shop domain; the only store when empty).</summary>
    public ShopifyAdminClient For(string? store)
    {
        var options = stores.Get(store);
        return _clients.GetOrAdd(options.Key, _ =>
        {
            var http = httpClients.CreateClient(HttpClientName);
            http.BaseAddress = options.AdminBaseUri;
            return new ShopifyAdminClient(RestService.ForGenerated<IShopifyAdminApi>(http, Settings), options, resilience.Value, time, loggers.CreateLogger<ShopifyAdminClient>());
        });
    }
}
