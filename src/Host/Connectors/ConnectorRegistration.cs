using Integration.Workflows.Connectors;

namespace Integration.Host.Connectors;

/// <summary>Adding a connector to the host is one line: <c>builder.AddConnector(new XConnectorModule())</c>.</summary>
internal static class ConnectorRegistration
{
    public static WebApplicationBuilder AddConnector(this WebApplicationBuilder builder, IConnectorModule module)
    {
        module.Register(new ConnectorContext(builder.Services, builder.Configuration));
        return builder;
    }
}
