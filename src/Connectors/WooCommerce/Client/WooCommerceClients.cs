using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using Integration.Connectors.WooCommerce.Stores;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Refit;

namespace Integration.Connectors.WooCommerce.Client;

/// <summary>One <see cref="WooCommerceClient"/> per store, kept for the host's life so each store has one pace and one breaker.</summary>
public sealed class WooCommerceClients(
    WooCommerceStores stores, IHttpClientFactory httpClients, IOptions<WooCommerceResilienceOptions> resilience, TimeProvider time, ILoggerFactory loggers)
{
    internal const string HttpClientName = "woocommerce";

    private static readonly RefitSettings Settings = new() { ContentSerializer = SystemTextJsonContentSerializer.ForContext(WooCommerceJsonContext.Default) };

    private readonly ConcurrentDictionary<string, WooCommerceClient> _clients = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The stores whose client has paused calls as the store is down (see <see cref="Integration.Workflows.Connectors.OutageBreaker"/>).</summary>
    public IReadOnlyList<string> PausedStores() => [.. _clients.Values.Where(c => c.Outage.IsPaused).Select(c => c.Store).Order(StringComparer.Ordinal)];

    /// <summary>The client of a store (its Name; the only store when empty).</summary>
    public WooCommerceClient For(string? store)
    {
        var options = stores.Get(store);
        return _clients.GetOrAdd(options.Key, _ =>
        {
            var http = httpClients.CreateClient(HttpClientName);
            http.BaseAddress = options.BaseUri;
            if (options.ResolvedConsumerKey is { } key && options.ResolvedConsumerSecret is { } secret)
            {
                // Basic auth with the REST API key, as WooCommerce takes it over https.
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(key + ":" + secret)));
            }

            http.DefaultRequestHeaders.UserAgent.ParseAdd("IntegrationHost/1.0 (+woocommerce connector)");
            return new WooCommerceClient(RestService.ForGenerated<IWooCommerceApi>(http, Settings), options, resilience.Value, time, loggers.CreateLogger<WooCommerceClient>());
        });
    }
}
