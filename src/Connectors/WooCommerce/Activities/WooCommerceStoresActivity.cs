using System.Text.Json.Nodes;
using Integration.Connectors.WooCommerce.Stores;
using Integration.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.WooCommerce.Activities;

/// <summary><c>WooCommerce.Stores</c>: the settings of every configured store, for flows that visit each store (reconciliation, webhook health).</summary>
internal sealed class WooCommerceStoresActivity : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "WooCommerce.Stores", "WooCommerce", "Stores",
        [],
        [new OutputDescriptor("stores", "Object", "Array of store settings (as WooCommerce.StoreSettings gives them), in configuration order.")],
        ["Done"],
        Description: "Lists the configured WooCommerce stores with their ERP settings; an empty list when there is none.");

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var stores = context.Services?.GetService<WooCommerceStores>() ?? throw new InvalidOperationException("WooCommerce.Stores needs the WooCommerce connector's services.");
        context.SetOutput("stores", new JsonArray([.. stores.All.Select(s => (JsonNode)StoreSettings.ToJson(s))]));
        return ValueTask.FromResult(ActivityResult.Done);
    }
}
