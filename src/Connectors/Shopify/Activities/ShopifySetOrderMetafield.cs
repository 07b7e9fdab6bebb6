using System.Text.Json.Nodes;
using Integration.Connectors.Shopify.Client;
using Integration.Connectors.Shopify.Metafields;
using Integration.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.Shopify.Activities;

/// <summary><c>Shopify.SetOrderMetafield</c>: writes one metafield on an order (e.g. the ERP invoice number or e-receipt UUID).</summary>
internal sealed class ShopifySetOrderMetafield : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "Shopify.SetOrderMetafield", "Shopify", "Set order metafield",
        [
            new InputDescriptor("store", "String", false, Description: "The store's Name or shop domain; the only store when empty."),
            new InputDescriptor("orderId", "String", true, Description: "The order's numeric id or gid://shopify/Order/N."),
            new InputDescriptor("namespace", "String", true, Description: "The metafield's namespace, e.g. erp."),
            new InputDescriptor("key", "String", true, Description: "The metafield's key, e.g. invoice."),
            new InputDescriptor("value", "String", true, Description: "The value, as text (numbers and JSON too, as Shopify takes them)."),
            new InputDescriptor("metafieldType", "String", false, Description: "The metafield type (default single_line_text_field); named so because an activity's JSON 'type' is its activity type."),
        ],
        [new OutputDescriptor("metafield", "Object", "{ ownerId, namespace, key, value, type } as set.")],
        ["Done"],
        Description: "Sets a metafield on a Shopify order (metafieldsSet): created, or overwritten when it exists.",
        HasExternalEffect: true);

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var metafields = context.Services?.GetService<ShopifyMetafields>() ?? throw new InvalidOperationException("Shopify.SetOrderMetafield needs the Shopify connector's services.");
        var owner = ShopifyGid.Format("Order", ShopifyGid.Parse(context.Input<string>("orderId"), "Order"));
        var metafield = new MetafieldValue(
            Required(context, "namespace"), Required(context, "key"), context.Input<string>("value") ?? throw new InvalidOperationException("Shopify.SetOrderMetafield: 'value' is empty."),
            context.Input<string>("metafieldType") is { Length: > 0 } type ? type : MetafieldValue.DefaultType);

        await metafields.SetAsync(context.Input<string>("store"), owner, [metafield], context.CancellationToken);

        context.SetOutput("metafield", new JsonObject
        {
            ["ownerId"] = owner,
            ["namespace"] = metafield.Namespace,
            ["key"] = metafield.Key,
            ["value"] = metafield.Value,
            ["type"] = metafield.Type,
        });
        return ActivityResult.Done;
    }

    private static string Required(ActivityContext context, string input) =>
        context.Input<string>(input) is { Length: > 0 } text ? text : throw new InvalidOperationException($"Shopify.SetOrderMetafield: '{input}' is empty.");
}
