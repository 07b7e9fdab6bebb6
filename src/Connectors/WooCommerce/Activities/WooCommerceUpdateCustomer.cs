using System.Text.Json.Nodes;
using Integration.Connectors.WooCommerce.Customers;
using Integration.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.WooCommerce.Activities;

/// <summary><c>WooCommerce.UpdateCustomer</c>: writes what the ERP masters of a customer (credit limit, group, tax id as meta data) to the store.</summary>
internal sealed class WooCommerceUpdateCustomer : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "WooCommerce.UpdateCustomer", "WooCommerce", "Update customer",
        [
            new InputDescriptor("store", "String", false, Description: "The store's Name; the only store when empty."),
            new InputDescriptor("customerId", "String", true, Description: "The WooCommerce customer's id."),
            new InputDescriptor("changes", "Object", true, "json-editor",
                "The changes in the REST v3 shape, as Mappings.Apply writes them towards WooCommerce: first_name, email, billing {...}, meta_data [{ key, value }] (matched by key)."),
        ],
        [new OutputDescriptor("customer", "Object", "The customer after the update (REST v3 shape).")],
        ["Done", "NotFound"],
        Description: "Updates a WooCommerce customer (PUT /customers/{id}).",
        HasExternalEffect: true);

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var customers = context.Services?.GetService<WooCommerceCustomers>() ?? throw new InvalidOperationException("WooCommerce.UpdateCustomer needs the WooCommerce connector's services.");
        var changes = context.JsonInput("changes") as JsonObject ?? throw new InvalidOperationException("WooCommerce.UpdateCustomer: 'changes' must be an object.");
        var customer = await customers.UpdateAsync(context.Input<string>("store"), ActivityIds.Read(context, "customerId"), changes, context.CancellationToken);
        context.SetOutput("customer", customer);
        return customer is null ? ActivityResult.Outcome("NotFound") : ActivityResult.Done;
    }
}
