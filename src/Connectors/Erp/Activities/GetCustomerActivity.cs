using Integration.Erp.Customers;
using Integration.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.Erp.Activities;

/// <summary><c>Erp.GetCustomer</c>: an ERP customer with the ids the stores know it by (<c>externalIds</c>).</summary>
internal sealed class GetCustomerActivity : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "Erp.GetCustomer", "ERP", "Get customer",
        [new InputDescriptor("company", "String", true), new InputDescriptor("customerId", "String", true)],
        [new OutputDescriptor("customer", "Object", "The customer (camelCase, as the ERP API answers), with externalIds [{ source, store, id }].")],
        ["Done", "NotFound"],
        Description: "Reads an ERP customer.");

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var customer = await context.Services!.GetRequiredService<CustomerRegister>()
            .GetAsync(context.Input<string>("company")!, context.Input<string>("customerId")!, context.CancellationToken);
        context.SetOutput("customer", ErpJson.ToNode(customer));
        return ActivityResult.Outcome(customer is null ? "NotFound" : "Done");
    }
}
