using Integration.Connectors.WooCommerce.Webhooks;
using Integration.Workflows.Connectors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Integration.Connectors.WooCommerce;

/// <summary>Registers the WooCommerce connector: options and the webhook source at <c>POST /webhooks/woocommerce/{store}</c>.</summary>
public sealed class WooCommerceConnectorModule : IConnectorModule
{
    public string Name => "woocommerce";

    public void Register(ConnectorContext context)
    {
        context.Services.AddOptions<WooCommerceOptions>()
            .Bind(context.Configuration.GetSection(WooCommerceOptions.Section))
            .ValidateOnStart();
        context.Services.AddSingleton<IValidateOptions<WooCommerceOptions>, WooCommerceOptionsValidator>();
        context.AddWebhookSource<WooCommerceWebhookSource>();
        context.AddActivity<WooCommerceWebhookReceived>();
    }
}
