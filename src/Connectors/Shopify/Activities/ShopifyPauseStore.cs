using Integration.Connectors.Shopify.Stores;
using Integration.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Integration.Connectors.Shopify.Activities;

/// <summary>
/// <c>Shopify.PauseStore</c>: pauses a store's pushes and scheduled reads (flows whose <c>Shopify.StoreSettings</c>
/// says <c>skipIfPaused</c> end quietly) until <c>shopify connect</c> connects it again. For an uninstalled app: its
/// token is revoked, and every run would otherwise fail the same way.
/// </summary>
internal sealed class ShopifyPauseStore : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "Shopify.PauseStore", "Shopify", "Pause store",
        [
            new InputDescriptor("store", "String", true, Description: "The store's Name or shop domain."),
            new InputDescriptor("reason", "String", true, Description: "Why, for operators (kept with the pause)."),
        ],
        [new OutputDescriptor("store", "String", "The store's key.")],
        ["Done"],
        Description: "Pauses ERP to store pushes and scheduled reads of a store until it is connected again.");

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var services = context.Services ?? throw new InvalidOperationException("Shopify.PauseStore needs the host's services.");
        var store = services.GetRequiredService<ShopifyStores>().Get(context.Input<string>("store")).Key;
        await using var connection = await services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync(context.CancellationToken);
        await ShopifyStorePauses.PauseAsync(connection, store, context.Input<string>("reason")!, context.Time.GetUtcNow());
        context.SetOutput("store", store);
        return ActivityResult.Done;
    }
}
