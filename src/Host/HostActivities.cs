using Integration.Host.Mappings;
using Integration.Host.Watermarks;
using Integration.Workflows.Activities;

namespace Integration.Host;

/// <summary>The activities the host itself adds to the runtime (mappings, watermarks); the CLI has them too.</summary>
internal static class HostActivities
{
    public static IServiceCollection AddHostActivities(this IServiceCollection services) =>
        services.AddSingleton<FlowActivity, MappingsApplyActivity>()
            .AddSingleton<FlowActivity, MappingsRecordWrittenActivity>()
            .AddSingleton<FlowActivity, WatermarkGetActivity>()
            .AddSingleton<FlowActivity, WatermarkSetActivity>()
            .AddSingleton<FlowActivity, Inbox.InboxEnqueueActivity>()
            .AddSingleton<FlowActivity, Inbox.InboxEnqueueUnseenActivity>()
            .AddSingleton<FlowActivity, Inbox.InboxOrdersInFlightActivity>()
            .AddSingleton<IInputOptionSource, MappingOptionsSource>();
}
