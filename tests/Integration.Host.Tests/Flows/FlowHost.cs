using Integration.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Integration.Host.Tests.Flows;

/// <summary>The real host on a test database, serving the flows of one folder; Quartz schedules off unless asked for.</summary>
internal static class FlowHost
{
    public static WebApplicationFactory<Program> Create(TestDatabase database, string flows, Action<IWebHostBuilder>? configure = null, bool schedules = false) =>
        new TestHostFactory().WithWebHostBuilder(builder =>
        {
            builder.UseContentRoot(RepoPaths.Root);
            builder.UseSetting("DATABASE_URL", database.Url);
            builder.UseSetting("Flows:Directory", flows);
            // Flows under test call simulators on loopback; a test that checks the gate sets its own list.
            builder.UseSetting("Flows:Http:AllowedHosts:0", "localhost");
            builder.UseSetting("Flows:Http:AllowedHosts:1", "127.0.0.1");
            if (!schedules)
            {
                builder.UseSetting("Flows:Schedules", "false");
            }

            configure?.Invoke(builder);
        });

    /// <summary>The Shopify store the signed test deliveries come from.</summary>
    public static void ShopifyStore(IWebHostBuilder builder)
    {
        builder.UseSetting("Connectors:Shopify:Stores:0:ShopDomain", HostFixture.ShopDomain);
        builder.UseSetting("Connectors:Shopify:Stores:0:AppSecret", HostFixture.ShopSecret);
    }
}
