namespace Integration.Host.Database;

/// <summary>Every part's migrations, in the order they are applied.</summary>
internal static class MigrationCatalog
{
    public static IReadOnlyList<MigrationSet> All { get; } =
    [
        new("integration", typeof(MigrationCatalog).Assembly),
        new("integration", Integration.Mappings.MappingsRegistration.MigrationsAssembly),
        new("integration", Integration.Connectors.Shopify.ShopifyConnectorModule.MigrationsAssembly),
        new("integration", Integration.Connectors.WooCommerce.WooCommerceConnectorModule.MigrationsAssembly),
        new("erp", Integration.Erp.ErpRegistration.MigrationsAssembly),
        new("eta", Integration.Connectors.Eta.EtaConnectorModule.MigrationsAssembly),
        new("flows", Integration.Workflows.FlowRuntimeRegistration.MigrationsAssembly),
    ];
}
