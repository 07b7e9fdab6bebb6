namespace Integration.Workflows.Connectors;

/// <summary>
/// The single registration point of a connector (Shopify, WooCommerce, ETA, ERP): it adds the connector's
/// webhook sources, activities, triggers, health checks and options to the host.
/// </summary>
public interface IConnectorModule
{
    /// <summary>Short lower-case name, used in logs and configuration (e.g. <c>shopify</c>).</summary>
    string Name { get; }

    /// <summary>Adds the connector's parts to the host.</summary>
    void Register(ConnectorContext context);
}
