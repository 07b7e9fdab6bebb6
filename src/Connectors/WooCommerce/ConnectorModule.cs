using Integration.Connectors.WooCommerce.Activities;
using Integration.Connectors.WooCommerce.Catalogue;
using Integration.Connectors.WooCommerce.Client;
using Integration.Connectors.WooCommerce.Connect;
using Integration.Connectors.WooCommerce.Customers;
using Integration.Connectors.WooCommerce.Inventory;
using Integration.Connectors.WooCommerce.Orders;
using Integration.Connectors.WooCommerce.Products;
using Integration.Connectors.WooCommerce.Stores;
using Integration.Connectors.WooCommerce.Webhooks;
using Integration.Workflows.Activities;
using Integration.Workflows.Connectors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Integration.Connectors.WooCommerce;

/// <summary>Registers the WooCommerce connector: options, the REST client, the webhook source at <c>POST /webhooks/woocommerce/{store}</c> and the activities.</summary>
public sealed class WooCommerceConnectorModule : IConnectorModule
{
    public string Name => "woocommerce";

    /// <summary>The connector's SQL migrations live in this assembly (schema <c>integration</c>, scripts <c>woocommerce_NNNN_*.sql</c>).</summary>
    public static System.Reflection.Assembly MigrationsAssembly => typeof(WooCommerceConnectorModule).Assembly;

    public void Register(ConnectorContext context)
    {
        context.Services.AddOptions<WooCommerceOptions>()
            .Bind(context.Configuration.GetSection(WooCommerceOptions.Section))
            .ValidateOnStart();
        context.Services.AddSingleton<IValidateOptions<WooCommerceOptions>, WooCommerceOptionsValidator>();
        context.Services.AddSingleton<IValidateOptions<WooCommerceOptions>, WooCommerceStoreRules>();
        context.Services.AddOptions<WooCommerceResilienceOptions>().Bind(context.Configuration.GetSection(WooCommerceResilienceOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        context.Services.TryAddSingleton(TimeProvider.System);
        context.Services.AddHttpClient(WooCommerceClients.HttpClientName);
        context.Services.TryAddSingleton<WooCommerceStores>();
        context.Services.AddSingleton<IInputOptionSource, WooCommerceStoreOptionsSource>();
        context.Services.TryAddSingleton<WooCommerceClients>();
        context.Services.AddHealthChecks().Add(PausedStoresHealthCheck.Registration("WooCommerce", services => services.GetRequiredService<WooCommerceClients>().PausedStores));
        context.Services.TryAddSingleton<WooCommerceOrders>();
        context.Services.TryAddSingleton<WooCommerceCustomers>();
        context.Services.TryAddSingleton<WooCommerceShipments>();
        context.Services.TryAddSingleton<WooCommerceConnection>();
        context.Services.TryAddSingleton<WooCommerceSkuIndex>();
        context.Services.TryAddSingleton<WooCommerceInventory>();
        context.Services.TryAddSingleton<WooCommerceProducts>();
        context.Services.TryAddSingleton<WooCommercePrices>();
        context.Services.TryAddSingleton<PricePushOrder>();
        context.Services.TryAddSingleton<WooCommerceCategories>();
        context.Services.TryAddSingleton<WooCommerceProductWriter>();
        context.AddWebhookSource<WooCommerceWebhookSource>();
        context.AddStoreOrderStock<WooCommerceOrderStock>();
        context.AddActivity<WooCommerceWebhookReceived>();
        context.AddActivity<WooCommerceStoreSettings>();
        context.AddActivity<WooCommerceGetOrder>();
        context.AddActivity<WooCommerceGetRefunds>();
        context.AddActivity<WooCommerceGetCustomer>();
        context.AddActivity<WooCommerceEnsureWebhooks>();
        context.AddActivity<WooCommerceStoresActivity>();
        context.AddActivity<WooCommerceListOrdersModifiedSince>();
        context.AddActivity<WooCommerceSetStock>();
        context.AddActivity<WooCommerceSetProductStatus>();
        context.AddActivity<WooCommerceSetPrices>();
        context.AddActivity<WooCommerceSyncProduct>();
        context.AddActivity<WooCommerceRecordDelivery>();
        context.AddActivity<WooCommerceUpdateCustomer>();
        context.AddActivity<WooCommerceRetireVariations>();
    }
}
