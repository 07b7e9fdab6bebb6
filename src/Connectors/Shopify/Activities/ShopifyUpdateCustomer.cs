using System.Text.Json.Nodes;
using Integration.Connectors.Shopify.Customers;
using Integration.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.Shopify.Activities;

/// <summary><c>Shopify.UpdateCustomer</c>: writes what the ERP masters of a customer (credit limit, group, tax id...) to the store.</summary>
internal sealed class ShopifyUpdateCustomer : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "Shopify.UpdateCustomer", "Shopify", "Update customer",
        [
            new InputDescriptor("store", "String", false, Description: "The store's Name or shop domain; the only store when empty."),
            new InputDescriptor("customerId", "String", true, Description: "The customer's numeric id or gid://shopify/Customer/N."),
            new InputDescriptor("changes", "Object", true, "json-editor",
                "The changes in the REST/webhook shape, as Mappings.Apply writes them towards Shopify: first_name, last_name, email, phone, note, tags, tax_exempt, metafields [{ namespace (default erp), key, value, type }]."),
        ],
        [new OutputDescriptor("customer", "Object", "The customer after the update, in the REST/webhook shape (with metafields), e.g. for the echo guard.")],
        ["Done", "NotFound"],
        Description: "Updates a Shopify customer (customerUpdate, and metafieldsSet for metafields). Addresses are not written.",
        HasExternalEffect: true);

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var customers = context.Services?.GetService<ShopifyCustomers>() ?? throw new InvalidOperationException("Shopify.UpdateCustomer needs the Shopify connector's services.");
        var customerId = context.Input<string>("customerId");
        if (string.IsNullOrWhiteSpace(customerId))
        {
            throw new InvalidOperationException("Shopify.UpdateCustomer: 'customerId' is empty.");
        }

        var changes = ActivityJson.Node(context, "changes") as JsonObject ?? throw new InvalidOperationException("Shopify.UpdateCustomer: 'changes' must be an object.");
        var customer = await customers.UpdateAsync(context.Input<string>("store"), customerId, changes, context.CancellationToken);
        context.SetOutput("customer", customer);
        return customer is null ? ActivityResult.Outcome("NotFound") : ActivityResult.Done;
    }
}
