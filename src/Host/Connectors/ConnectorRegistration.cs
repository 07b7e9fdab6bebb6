using Integration.Workflows.Connectors;

namespace Integration.Host.Connectors;

/// <summary>Adding a connector to the host is one line: <c>builder.AddConnector(new XConnectorModule())</c>.</summary>
internal static class ConnectorRegistration
{
    /// <summary>The connectors this host ships with; the CLI knows their activities too.</summary>
    public static IReadOnlyList<IConnectorModule> Shipped =>
        [new Integration.Connectors.Erp.ErpConnectorModule(), new Integration.Connectors.Shopify.ShopifyConnectorModule(), new Integration.Connectors.WooCommerce.WooCommerceConnectorModule(), new Integration.Connectors.Eta.EtaConnectorModule()];

    public static WebApplicationBuilder AddConnector(this WebApplicationBuilder builder, IConnectorModule module)
    {
        module.Register(new ConnectorContext(builder.Services, builder.Configuration));
        return builder;
    }
}
