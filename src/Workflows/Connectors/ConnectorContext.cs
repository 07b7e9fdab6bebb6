using Integration.Workflows.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Integration.Workflows.Connectors;

/// <summary>What a connector module may add to the host while it registers.</summary>
public sealed class ConnectorContext
{
    public ConnectorContext(IServiceCollection services, IConfiguration configuration)
    {
        Services = services;
        Configuration = configuration;
    }

    public IServiceCollection Services { get; }

    public IConfiguration Configuration { get; }

    /// <summary>Adds an activity type that flows can use (and the designer lists).</summary>
    public ConnectorContext AddActivity<TActivity>()
        where TActivity : Activities.FlowActivity
    {
        Services.AddSingleton<Activities.FlowActivity, TActivity>();
        return this;
    }

    /// <summary>Adds a storefront's reading of its orders' stock, so the stock pushes hold what its orders took until the ERP books them.</summary>
    public ConnectorContext AddStoreOrderStock<TStock>()
        where TStock : class, IStoreOrderStock
    {
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IStoreOrderStock, TStock>());
        return this;
    }

    /// <summary>Adds a storefront webhook source, served at <c>POST /webhooks/{source.Name}[/{store}]</c>.</summary>
    public ConnectorContext AddWebhookSource<TSource>()
        where TSource : class, IWebhookSource
    {
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IWebhookSource, TSource>());
        return this;
    }
}
