using Integration.Connectors.Shopify.Activities;
using Integration.Connectors.Shopify.Catalogue;
using Integration.Connectors.Shopify.Client;
using Integration.Connectors.Shopify.Collections;
using Integration.Connectors.Shopify.Connect;
using Integration.Connectors.Shopify.Customers;
using Integration.Connectors.Shopify.Fulfillments;
using Integration.Connectors.Shopify.Inventory;
using Integration.Connectors.Shopify.Metafields;
using Integration.Connectors.Shopify.Orders;
using Integration.Connectors.Shopify.Products;
using Integration.Connectors.Shopify.Stores;
using Integration.Connectors.Shopify.Webhooks;
using Integration.Workflows.Activities;
using Integration.Workflows.Connectors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Integration.Connectors.Shopify;

/// <summary>Registers the Shopify connector: options and the webhook source at <c>POST /webhooks/shopify</c>.</summary>
public sealed class ShopifyConnectorModule : IConnectorModule
{
    public string Name => "shopify";

    /// <summary>The connector's SQL migrations live in this assembly (schema <c>integration</c>, scripts <c>shopify_NNNN_*.sql</c>).</summary>
    public static System.Reflection.Assembly MigrationsAssembly => typeof(ShopifyConnectorModule).Assembly;

    public void Register(ConnectorContext context)
    {
        context.Services.AddOptions<ShopifyOptions>()
            .Bind(context.Configuration.GetSection(ShopifyOptions.Section))
            .ValidateOnStart();
        context.Services.AddSingleton<IValidateOptions<ShopifyOptions>, ShopifyOptionsValidator>();
        context.Services.AddSingleton<IValidateOptions<ShopifyOptions>, ShopifyStoreRules>();
        context.Services.TryAddSingleton<ShopifyStores>();
        context.Services.AddSingleton<IInputOptionSource, ShopifyStoreOptionsSource>();
        context.Services.AddOptions<ShopifyResilienceOptions>().Bind(context.Configuration.GetSection(ShopifyResilienceOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        context.Services.TryAddSingleton(TimeProvider.System);
        context.Services.AddHttpClient(ShopifyAdminClients.HttpClientName);
        context.Services.TryAddSingleton<ShopifyAdminClients>();
        context.Services.AddHealthChecks().Add(PausedStoresHealthCheck.Registration("Shopify", services => services.GetRequiredService<ShopifyAdminClients>().PausedStores));
        context.Services.TryAddSingleton<ShopifyOrders>();
        context.Services.TryAddSingleton<PricePushOrder>();
        context.Services.TryAddSingleton<ShopifyConnection>();
        context.Services.TryAddSingleton<ShopifySkuIndex>();
        context.Services.TryAddSingleton<ShopifyInventory>();
        context.Services.TryAddSingleton<ShopifyProducts>();
        context.Services.TryAddSingleton<ShopifyFulfillments>();
        context.Services.TryAddSingleton<ShopifyMetafields>();
        context.Services.TryAddSingleton<ShopifyCustomers>();
        context.Services.TryAddSingleton<ShopifyCollections>();
        context.Services.TryAddSingleton<ShopifyProductWriter>();
        context.AddWebhookSource<ShopifyWebhookSource>();
        context.AddStoreOrderStock<ShopifyOrderStock>();
        context.AddActivity<ShopifyWebhookReceived>();
        context.AddActivity<ShopifyStoreSettings>();
        context.AddActivity<ShopifyStoreList>();
        context.AddActivity<ShopifyPauseStore>();
        context.AddActivity<ShopifyGetOrder>();
        context.AddActivity<ShopifyListOrdersUpdatedSince>();
        context.AddActivity<ShopifySetInventory>();
        context.AddActivity<ShopifySetProductStatus>();
        context.AddActivity<ShopifySyncProduct>();
        context.AddActivity<ShopifySetPrices>();
        context.AddActivity<ShopifyCreateFulfillment>();
        context.AddActivity<ShopifySetOrderMetafield>();
        context.AddActivity<ShopifyGetCustomer>();
        context.AddActivity<ShopifyUpdateCustomer>();
        context.AddActivity<ShopifyEnsureWebhooks>();
    }
}
