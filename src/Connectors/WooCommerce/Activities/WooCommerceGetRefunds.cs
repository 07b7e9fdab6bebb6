using System.Text.Json.Nodes;
using Integration.Connectors.WooCommerce.Orders;
using Integration.Connectors.WooCommerce.Refunds;
using Integration.Connectors.WooCommerce.Stores;
using Integration.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.WooCommerce.Activities;

/// <summary>
/// <c>WooCommerce.GetRefunds</c>: reads an order's refunds from the store (<c>GET /orders/{id}/refunds</c>; refunds
/// arrive only as <c>order.updated</c>) and says what each credits in the ERP (<see cref="RefundCredits"/>), shaped as
/// the inputs of <c>Erp.CreateSalesReturn</c>. Every refund is listed each time; the ERP posts each once (its source is
/// store, order and refund id).
/// </summary>
internal sealed class WooCommerceGetRefunds : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "WooCommerce.GetRefunds", "WooCommerce", "Get refunds",
        [
            new InputDescriptor("store", "String", false, Description: "The store's Name; the only store when empty."),
            new InputDescriptor("order", "Object", true, "json-editor", "The order as the store has it now (WooCommerce.GetOrder)."),
        ],
        [
            new OutputDescriptor("credits", "Object", "[{ refundId, order: {system, store, id}, source: {system, store, id}, lines: [{sourceLineId, qty, restockedInStore}], amounts: [{amount, incomeAccount, description, tax | taxRate | taxAsInvoiced (shared over the invoice's rates), amountIncludesTax, beyond (money above everything the refund names)}], restock, restOfOrder, postingDate, amount, reason }], oldest first."),
            new OutputDescriptor("refunds", "Object", "The refunds as the store returned them."),
        ],
        ["Done", "None"],
        Description: "Reads a WooCommerce order's refunds and what each credits in the ERP; None when the order has none.");

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var orders = context.Services?.GetService<WooCommerceOrders>() ?? throw new InvalidOperationException("WooCommerce.GetRefunds needs the WooCommerce connector's services.");
        var store = context.Services.GetRequiredService<WooCommerceStores>().Get(context.Input<string>("store"));
        var order = context.InputValue("order") switch
        {
            JsonObject o => o,
            var other => JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(other))?.AsObject(),
        } ?? throw new InvalidOperationException("WooCommerce.GetRefunds: 'order' is empty.");
        var orderId = order["id"] is JsonValue id && long.TryParse(id.ToJsonString().Trim('"'), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var parsed)
            ? parsed : throw new InvalidOperationException("WooCommerce.GetRefunds: the order has no id.");
        var refunds = await orders.RefundsAsync(store.Key, orderId, context.CancellationToken);
        var credits = RefundCredits.From(store.Key, order, refunds, store.ShippingIncomeAccount, store.FeeIncomeAccount, store.RefundDiscrepancyAccount);
        var json = new JsonArray();
        foreach (var credit in credits)
        {
            json.Add(ToJson(store.Key, orderId, credit));
        }

        context.SetOutput("credits", json);
        context.SetOutput("refunds", new JsonArray([.. refunds.Select(r => (JsonNode)r.DeepClone())]));
        return credits.Count == 0 ? ActivityResult.Outcome("None") : ActivityResult.Done;
    }

    private static JsonObject ToJson(string store, long orderId, RefundCredit credit)
    {
        var lines = new JsonArray();
        foreach (var line in credit.Lines)
        {
            var json = new JsonObject { ["sourceLineId"] = line.SourceLineId, ["qty"] = line.Qty };
            if (line.RestockedInStore is { } restocked)
            {
                json["restockedInStore"] = restocked;
            }

            lines.Add(json);
        }

        var amounts = new JsonArray();
        foreach (var amount in credit.Amounts)
        {
            var a = new JsonObject { ["amount"] = amount.Amount, ["incomeAccount"] = amount.IncomeAccount, ["description"] = amount.Description, ["amountIncludesTax"] = amount.AmountIncludesTax };
            if (amount.Tax is { } tax)
            {
                a["tax"] = tax;
            }

            if (amount.TaxRate is { } rate)
            {
                a["taxRate"] = rate;
            }

            if (amount.TaxAsInvoiced)
            {
                a["taxAsInvoiced"] = true;
            }

            if (amount.Beyond)
            {
                a["beyond"] = true;
            }

            amounts.Add(a);
        }

        var order = orderId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["refundId"] = credit.RefundId,
            ["order"] = new JsonObject { ["system"] = "woocommerce", ["store"] = store, ["id"] = order },
            ["source"] = new JsonObject { ["system"] = "woocommerce", ["store"] = store, ["id"] = order + "/refund/" + credit.RefundId.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            ["lines"] = lines,
            ["amounts"] = amounts,
            ["restock"] = credit.Restock,
            ["restOfOrder"] = credit.RestOfOrder,
            ["postingDate"] = credit.PostingDate,
            ["amount"] = credit.Amount,
            ["reason"] = credit.Reason,
        };
    }
}
