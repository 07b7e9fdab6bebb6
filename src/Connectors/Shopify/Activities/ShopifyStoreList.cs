using System.Text.Json.Nodes;
using Integration.Connectors.Shopify.Stores;
using Integration.Workflows.Activities;
using Integration.Workflows.Expressions;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.Shopify.Activities;

/// <summary>
/// <c>Shopify.Stores</c>: the keys of the configured stores a flow serves, optionally only those set up for it
/// (<c>with</c>: <c>Locations</c> for stock, <c>PriceList</c> for prices, <c>SyncProducts</c> for products), in the
/// order configured: what an ERP -> store flow's <c>Elsa.ForEach</c> goes over, one store per iteration; with
/// <c>company</c>, only that ERP company's stores (an ERP event names its company).
/// </summary>
internal sealed class ShopifyStoreList : FlowActivity
{
    /// <summary>The store options <c>with</c> can ask for.</summary>
    public static readonly IReadOnlyList<string> Options = ["Locations", "PriceList", "SyncProducts"];

    public override ActivityDescriptor Descriptor { get; } = new(
        "Shopify.Stores", "Shopify", "Stores",
        [
            new InputDescriptor("with", "String", Description:
                "Only the stores set up for it: Locations (a location mapped to a warehouse: stock), PriceList (prices), SyncProducts (products the ERP masters); every store when empty."),
            new InputDescriptor("company", "String", Description:
                "Only the stores of this ERP company (an ERP event's company: another company's SKU must not reach them); every company's when empty."),
        ],
        [new OutputDescriptor("stores", "Object", "The stores' keys (Name, else shop domain), e.g. [\"cairo-fashion\", \"alex-outlet\"].")],
        ["Done"],
        Description: "Lists the configured Shopify stores (those a flow is enabled for) for an Elsa.ForEach; none when the host serves no store.");

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var stores = context.Services?.GetService<ShopifyStores>() ?? throw new InvalidOperationException("Shopify.Stores needs the Shopify connector's services.");
        var with = context.Input<string>("with")?.Trim();
        if (!string.IsNullOrEmpty(with) && !Options.Contains(with, StringComparer.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Shopify.Stores: with '{with}' is not a store option (use {string.Join(", ", Options)} or nothing).");
        }

        var company = context.HasInput("company") ? context.Input<string>("company")?.Trim() : null;
        context.SetOutput("stores", new JsonArray([.. stores.All
            .Where(s => Enabled(s, with) && (string.IsNullOrEmpty(company) || string.Equals(s.Company, company, StringComparison.OrdinalIgnoreCase)))
            .Select(s => (JsonNode?)s.Key)]));
        return ValueTask.FromResult(ActivityResult.Done);
    }

    public override IEnumerable<(string Input, string Message)> Validate(Integration.Workflows.Model.FlowActivityNode node)
    {
        if (FlowExpression.From(node.Property("with")) is { Type: "Literal", Value: { Length: > 0 } with } && !Options.Contains(with.Trim(), StringComparer.OrdinalIgnoreCase))
        {
            yield return ("with", $"'{with}' is not a store option (use {string.Join(", ", Options)}, or leave it out for every store)");
        }
    }

    private static bool Enabled(ShopifyStoreOptions store, string? with) => with?.ToUpperInvariant() switch
    {
        null or "" => true,
        "LOCATIONS" => store.Locations.Count > 0,
        "PRICELIST" => !string.IsNullOrWhiteSpace(store.PriceList),
        "SYNCPRODUCTS" => store.SyncProducts,
        _ => false,
    };
}
