using Integration.Connectors.WooCommerce.Customers;
using Integration.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.WooCommerce.Activities;

/// <summary><c>WooCommerce.GetCustomer</c>: reads one registered customer from the store (an order carries only its id).</summary>
internal sealed class WooCommerceGetCustomer : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "WooCommerce.GetCustomer", "WooCommerce", "Get customer",
        [
            new InputDescriptor("store", "String", false, Description: "The store's Name; the only store when empty."),
            new InputDescriptor("customerId", "String", true, Description: "The customer's id (an order's customer_id; 0 is a guest)."),
        ],
        [new OutputDescriptor("customer", "Object", "The customer (REST v3 shape).")],
        ["Done", "NotFound"],
        Description: "Reads a WooCommerce customer; NotFound for a guest (id 0) or a customer the store no longer has.");

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var customers = context.Services?.GetService<WooCommerceCustomers>() ?? throw new InvalidOperationException("WooCommerce.GetCustomer needs the WooCommerce connector's services.");
        var id = ActivityIds.Read(context, "customerId");
        var customer = id <= 0 ? null : await customers.GetAsync(context.Input<string>("store"), id, context.CancellationToken);
        context.SetOutput("customer", customer);
        return customer is null ? ActivityResult.Outcome("NotFound") : ActivityResult.Done;
    }
}
