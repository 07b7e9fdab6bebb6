using Integration.Connectors.Shopify.Customers;
using Integration.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.Shopify.Activities;

/// <summary>
/// <c>Shopify.GetCustomer</c>: the customer as the store has it now, in the REST/webhook shape. Webhooks arrive late
/// and out of order; a sync that maps what it read rather than the payload never writes an older state over a newer one.
/// </summary>
internal sealed class ShopifyGetCustomer : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "Shopify.GetCustomer", "Shopify", "Get customer",
        [
            new InputDescriptor("store", "String", false, Description: "The store's Name or shop domain; the only store when empty."),
            new InputDescriptor("customerId", "String", true, Description: "The customer's numeric id or gid://shopify/Customer/N."),
        ],
        [new OutputDescriptor("customer", "Object", "The customer in the REST/webhook shape (customers/update), with its metafields.")],
        ["Done", "NotFound"],
        Description: "Reads a Shopify customer now (a customers/create or customers/update payload may be stale).");

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var customers = context.Services?.GetService<ShopifyCustomers>() ?? throw new InvalidOperationException("Shopify.GetCustomer needs the Shopify connector's services.");
        var customerId = context.Input<string>("customerId");
        if (string.IsNullOrWhiteSpace(customerId))
        {
            throw new InvalidOperationException("Shopify.GetCustomer: 'customerId' is empty.");
        }

        var customer = await customers.GetAsync(context.Input<string>("store"), customerId, context.CancellationToken);
        context.SetOutput("customer", customer);
        return customer is null ? ActivityResult.Outcome("NotFound") : ActivityResult.Done;
    }
}
