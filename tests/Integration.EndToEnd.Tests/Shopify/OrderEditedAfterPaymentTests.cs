using System.Globalization;
using System.Text.Json.Nodes;

namespace Integration.EndToEnd.Tests.Shopify;

/// <summary>
/// An order paid, then edited down in the admin (the mug taken off), and the difference refunded as money only: what
/// Shopify asks the merchant to do after such an edit. The ERP sells what is left, takes what was received, and pays
/// the excess back; nothing is credited (nothing sold came back), whatever the order in which the host sees it.
/// </summary>
public sealed class OrderEditedAfterPaymentTests(ShopifyStoreHost host) : IClassFixture<ShopifyStoreHost>
{
    private const decimal Mug = 123.12m; // 120 less 12 discount, 15.12 VAT
    private const decimal Left = 570.00m; // the default order's 693.12 less the mug

    private readonly ErpBooks books = new(host);

    [Fact]
    public async Task Edited_and_refunded_before_the_erp_invoiced_it_the_order_is_invoiced_as_edited_and_the_excess_paid_back_once()
    {
        var order = new ShopifyOrderPayload { UpdatedAt = Ago(30) };
        var refundId = order.Id + 970;
        host.Shopify.State.AddOrder(Edited(order, refundId));

        // refunds/create first (orders/paid was late): it waits for the invoice.
        await host.DeliverAsync("refunds/create", MoneyRefund(order, refundId));
        Assert.Equal(0, await books.CountAsync("Overpayment Refund", refundId));

        Assert.Equal("done", await host.DeliverAsync("orders/paid", Edited(order, refundId)));

        var invoice = await books.DocumentAsync(order, "Sales Invoice");
        Assert.Equal(Left, invoice.GetProperty("grandTotal").GetDecimal());
        Assert.DoesNotContain(invoice.GetProperty("lines").EnumerateArray(), l => l.GetProperty("sku").GetString() == "MUG-WHT");
        var payment = await books.DocumentAsync(order, "Payment");
        Assert.Equal(order.Total, payment.GetProperty("grandTotal").GetDecimal());
        Assert.Equal(order.Total, ErpBooks.Debit(await books.GlAsync(payment.GetProperty("docNo").GetString()!), "1130"));

        // The invoice's run retried the waiting refund: the excess paid back, no credit note.
        var refund = await books.DocumentAsync("Overpayment Refund", refundId);
        Assert.Equal(Mug, refund.GetProperty("grandTotal").GetDecimal());
        var gl = await books.GlAsync(refund.GetProperty("docNo").GetString()!);
        Assert.Equal(Mug, ErpBooks.Debit(gl, "1150"));
        Assert.Equal(Mug, ErpBooks.Credit(gl, "1130"));
        Assert.Equal(0, await books.CountAsync("Sales Return", refundId));

        await host.DeliverAsync("refunds/create", MoneyRefund(order, refundId));
        await host.DeliverAsync("orders/paid", Edited(order, refundId));

        Assert.Equal(1, await books.CountAsync("Overpayment Refund", refundId));
        Assert.Equal(1, await books.CountAsync(order, "Payment"));
        Assert.Equal(0m, (await books.DocumentAsync(order, "Sales Invoice")).GetProperty("outstanding").GetDecimal());
        Assert.Equal("Paid", (await books.DocumentAsync(order, "Sales Invoice")).GetProperty("status").GetString());
        await AssertSettledAsync(order, refundId);
    }

    [Fact]
    public async Task Edited_before_the_erp_invoiced_it_and_refunded_after_the_excess_is_the_customers_credit_until_the_refund_pays_it_back()
    {
        var order = new ShopifyOrderPayload { UpdatedAt = Ago(30) };
        var refundId = order.Id + 980;

        // The store shows the edit, not yet the refund; the invoice takes all that was received.
        Assert.Equal("done", await host.OrderEventAsync("orders/updated", Edited(order, null)));

        var invoice = await books.DocumentAsync(order, "Sales Invoice");
        Assert.Equal(Left, invoice.GetProperty("grandTotal").GetDecimal());
        Assert.Equal(-Mug, invoice.GetProperty("outstanding").GetDecimal());
        Assert.Equal(order.Total, (await books.DocumentAsync(order, "Payment")).GetProperty("grandTotal").GetDecimal());
        Assert.Contains("overpaid 123.12", (await host.OrderRunsAsync(order.Id))[0].GetProperty("output").GetProperty("outcome").GetString(), StringComparison.Ordinal);

        host.Shopify.State.AddOrder(Edited(order, refundId));
        Assert.Equal("done", await host.DeliverAsync("refunds/create", MoneyRefund(order, refundId)));
        await host.DeliverAsync("orders/updated", Edited(order, refundId)); // the settlement flow sees it paid back already

        var refund = await books.DocumentAsync("Overpayment Refund", refundId);
        Assert.Equal(Mug, refund.GetProperty("grandTotal").GetDecimal());
        Assert.Equal(1, await books.CountAsync("Overpayment Refund", refundId));
        Assert.Equal(0, await books.CountAsync("Sales Return", refundId));
        Assert.Equal(0m, (await books.DocumentAsync(order, "Sales Invoice")).GetProperty("outstanding").GetDecimal());
        Assert.Contains((await host.OrderRunsAsync(order.Id)).Select(r => r.GetProperty("output").GetProperty("outcome").GetString()),
            o => o!.StartsWith("overpayment paid back OPR-", StringComparison.Ordinal));
        await AssertSettledAsync(order, refundId);
    }

    [Fact]
    public async Task A_pending_refund_of_the_excess_credits_nothing_and_pays_it_back_once_when_it_settles()
    {
        var order = new ShopifyOrderPayload { UpdatedAt = Ago(30) };
        var refundId = order.Id + 990;
        await host.OrderEventAsync("orders/updated", Edited(order, null));

        host.Shopify.State.AddOrder(Edited(order, refundId, "pending"));
        Assert.Equal("done", await host.DeliverAsync("refunds/create", MoneyRefund(order, refundId, "pending")));

        Assert.Equal(0, await books.CountAsync("Sales Return", refundId));
        Assert.Equal(0, await books.CountAsync("Overpayment Refund", refundId));
        Assert.Equal(-Mug, (await books.DocumentAsync(order, "Sales Invoice")).GetProperty("outstanding").GetDecimal());

        // Settled: Shopify says so on the order.
        var settled = Edited(order, refundId, "success", Ago(1));
        Assert.Equal("done", await host.OrderEventAsync("orders/updated", settled));
        await host.DeliverAsync("orders/updated", settled);

        Assert.Equal(Mug, (await books.DocumentAsync("Overpayment Refund", refundId)).GetProperty("grandTotal").GetDecimal());
        Assert.Equal(1, await books.CountAsync("Overpayment Refund", refundId));
        Assert.Equal(0, await books.CountAsync("Sales Return", refundId));
        Assert.Equal(0m, (await books.DocumentAsync(order, "Sales Invoice")).GetProperty("outstanding").GetDecimal());
    }

    [Fact]
    public async Task Money_refunded_beyond_the_excess_is_paid_back_up_to_it_and_the_rest_credited_as_goodwill()
    {
        var order = new ShopifyOrderPayload { UpdatedAt = Ago(30) };
        var refundId = order.Id + 995;
        await host.OrderEventAsync("orders/updated", Edited(order, null));

        // The mug's money and 57.00 more for the trouble, in one refund.
        host.Shopify.State.AddOrder(Edited(order, refundId, "success", amount: Mug + 57.00m));
        Assert.Equal("done", await host.DeliverAsync("refunds/create", MoneyRefund(order, refundId, "success", Mug + 57.00m)));

        Assert.Equal(Mug, (await books.DocumentAsync("Overpayment Refund", refundId)).GetProperty("grandTotal").GetDecimal());
        var note = await books.DocumentAsync("Sales Return", refundId);
        Assert.Equal(57.00m, note.GetProperty("grandTotal").GetDecimal());
        var gl = await books.GlAsync(note.GetProperty("docNo").GetString()!);
        Assert.Equal(50.00m, ErpBooks.Debit(gl, "4300"));
        Assert.Equal(7.00m, ErpBooks.Debit(gl, "2120"));
        Assert.Equal(0m, (await books.DocumentAsync(order, "Sales Invoice")).GetProperty("outstanding").GetDecimal());
    }

    [Fact]
    public async Task Edited_after_the_erp_invoiced_it_the_units_taken_off_come_back_on_a_credit_note_once_and_the_refund_pays_their_money_back()
    {
        var order = new ShopifyOrderPayload { UpdatedAt = Ago(30) };
        var refundId = order.Id + 1000;
        var mugs = await books.ActualAsync("MUG-WHT");
        await host.OrderEventAsync("orders/create", Paid(order));
        var invoice = await books.DocumentAsync(order, "Sales Invoice");
        Assert.Equal(order.Total, invoice.GetProperty("grandTotal").GetDecimal());
        Assert.Equal(mugs - 1, await books.ActualAsync("MUG-WHT"));

        // The edit: the mug, never shipped, is taken off and restocked in the store.
        Assert.Equal("done", await host.OrderEventAsync("orders/updated", Edited(order, null)));
        await host.DeliverAsync("orders/updated", Edited(order, null));

        var note = await EditCreditAsync(order);
        Assert.Equal(Mug, note.GetProperty("grandTotal").GetDecimal());
        var line = Assert.Single(note.GetProperty("lines").EnumerateArray());
        Assert.Equal(("MUG-WHT", 1m), (line.GetProperty("sku").GetString(), line.GetProperty("qty").GetDecimal()));
        Assert.Equal(mugs, await books.ActualAsync("MUG-WHT"));
        Assert.Equal(108.00m, ErpBooks.Debit(await books.GlAsync(note.GetProperty("docNo").GetString()!), "4100"));
        Assert.Equal(-Mug, (await books.DocumentAsync(order, "Sales Invoice")).GetProperty("outstanding").GetDecimal());
        Assert.Contains((await host.OrderRunsAsync(order.Id)).Select(r => r.GetProperty("output").GetProperty("outcome").GetString()),
            o => o!.Contains("units edited off credited on " + note.GetProperty("docNo").GetString(), StringComparison.Ordinal));

        // The refund Shopify asks for after the edit pays that credit back: no second credit.
        host.Shopify.State.AddOrder(Edited(order, refundId));
        Assert.Equal("done", await host.DeliverAsync("refunds/create", MoneyRefund(order, refundId)));
        await host.DeliverAsync("refunds/create", MoneyRefund(order, refundId));

        Assert.Equal(Mug, (await books.DocumentAsync("Overpayment Refund", refundId)).GetProperty("grandTotal").GetDecimal());
        Assert.Equal(0, await books.CountAsync("Sales Return", refundId));
        Assert.Equal(1, await host.CountAsync("SELECT count(*) FROM erp.sales_document WHERE doc_type = 'Sales Return' AND source_id LIKE @id",
            new { id = order.Id.ToString(CultureInfo.InvariantCulture) + ":edit:%" }));
        Assert.Equal(0m, (await books.DocumentAsync(order, "Sales Invoice")).GetProperty("outstanding").GetDecimal());
        await AssertSettledAsync(order, refundId);
    }

    [Fact]
    public async Task A_refund_that_overtakes_the_edits_webhook_credits_the_units_edited_off_and_pays_them_back_once()
    {
        var order = new ShopifyOrderPayload { UpdatedAt = Ago(30) };
        var refundId = order.Id + 1010;
        await host.OrderEventAsync("orders/create", Paid(order));

        host.Shopify.State.AddOrder(Edited(order, refundId));
        Assert.Equal("done", await host.DeliverAsync("refunds/create", MoneyRefund(order, refundId)));
        Assert.Equal("done", await host.DeliverAsync("orders/updated", Edited(order, null))); // the edit's webhook, late and stale

        Assert.Equal(Mug, (await EditCreditAsync(order)).GetProperty("grandTotal").GetDecimal());
        Assert.Equal(Mug, (await books.DocumentAsync("Overpayment Refund", refundId)).GetProperty("grandTotal").GetDecimal());
        Assert.Equal(0, await books.CountAsync("Sales Return", refundId));
        Assert.Equal(0m, (await books.DocumentAsync(order, "Sales Invoice")).GetProperty("outstanding").GetDecimal());
        await AssertSettledAsync(order, refundId);
    }

    [Fact]
    public async Task A_return_that_also_gives_back_the_edits_difference_credits_the_goods_and_pays_the_difference_out_of_the_credit()
    {
        var order = new ShopifyOrderPayload { UpdatedAt = Ago(30) };
        var refundId = order.Id + 1020;
        await host.OrderEventAsync("orders/create", Paid(order));
        await host.OrderEventAsync("orders/updated", Edited(order, null));

        // One T-shirt comes back (256.50) and, in the same refund, the mug's money the edit owed (a negative discrepancy).
        var refund = JsonNode.Parse(order.RefundJson(refundId, restock: true, (0, 1)))!;
        refund["order_adjustments"] = new JsonArray(new JsonObject { ["kind"] = "refund_discrepancy", ["amount"] = "-108.00", ["tax_amount"] = "-15.12", ["reason"] = "Refund discrepancy" });
        refund["transactions"]![0]!["amount"] = Money(256.50m + Mug);
        var now = JsonNode.Parse(Edited(order, null))!;
        now["line_items"]![0]!["current_quantity"] = 1;
        now["refunds"] = new JsonArray(refund.DeepClone());
        host.Shopify.State.AddOrder(now.ToJsonString());
        Assert.Equal("done", await host.DeliverAsync("refunds/create", refund.ToJsonString()));

        var note = await books.DocumentAsync("Sales Return", refundId);
        Assert.Equal(256.50m, note.GetProperty("grandTotal").GetDecimal());
        Assert.Equal(0m, ErpBooks.Debit(await books.GlAsync(note.GetProperty("docNo").GetString()!), "4300"));
        Assert.Equal(Mug, (await books.DocumentAsync("Overpayment Refund", refundId)).GetProperty("grandTotal").GetDecimal());
        Assert.Equal(Mug, (await EditCreditAsync(order)).GetProperty("grandTotal").GetDecimal());
        Assert.Equal(0m, (await books.DocumentAsync(order, "Sales Invoice")).GetProperty("outstanding").GetDecimal());
        await AssertSettledAsync(order, refundId);
    }

    [Fact]
    public async Task A_pending_return_that_also_gives_back_the_edits_difference_pays_the_difference_back_when_it_settles()
    {
        var order = new ShopifyOrderPayload { UpdatedAt = Ago(30) };
        var refundId = order.Id + 1030;
        await host.OrderEventAsync("orders/create", Paid(order));
        await host.OrderEventAsync("orders/updated", Edited(order, null));

        // As the test above, but the refund's money is still pending when refunds/create arrives.
        var refund = JsonNode.Parse(order.RefundJson(refundId, restock: true, (0, 1)))!;
        refund["order_adjustments"] = new JsonArray(new JsonObject { ["kind"] = "refund_discrepancy", ["amount"] = "-108.00", ["tax_amount"] = "-15.12", ["reason"] = "Refund discrepancy" });
        refund["transactions"]![0]!["amount"] = Money(256.50m + Mug);
        refund["transactions"]![0]!["status"] = "pending";
        var now = JsonNode.Parse(Edited(order, null))!;
        now["line_items"]![0]!["current_quantity"] = 1;
        now["refunds"] = new JsonArray(refund.DeepClone());
        host.Shopify.State.AddOrder(now.ToJsonString());
        Assert.Equal("done", await host.DeliverAsync("refunds/create", refund.ToJsonString()));

        Assert.Equal(256.50m, (await books.DocumentAsync("Sales Return", refundId)).GetProperty("grandTotal").GetDecimal());
        Assert.Equal(0, await books.CountAsync("Overpayment Refund", refundId));

        // Settled: the goods' money recorded on the credit note, and the edit's difference paid back out of the overpayment.
        refund["transactions"]![0]!["status"] = "success";
        now["refunds"] = new JsonArray(refund.DeepClone());
        now["updated_at"] = Ago(1);
        Assert.Equal("done", await host.OrderEventAsync("orders/updated", now.ToJsonString()));

        var paidBack = await books.DocumentAsync("Overpayment Refund", refundId);
        Assert.Equal(Mug, paidBack.GetProperty("grandTotal").GetDecimal());
        Assert.Equal(Mug, ErpBooks.Credit(await books.GlAsync(paidBack.GetProperty("docNo").GetString()!), "1130"));
        Assert.Equal(0m, (await books.DocumentAsync(order, "Sales Invoice")).GetProperty("outstanding").GetDecimal());
        await host.DeliverAsync("orders/updated", now.ToJsonString());
        Assert.Equal(1, await books.CountAsync("Overpayment Refund", refundId));
        await AssertSettledAsync(order, refundId);
    }

    [Fact]
    public async Task A_return_settled_before_its_refund_webhook_came_takes_nothing_of_the_edits_overpayment()
    {
        var order = new ShopifyOrderPayload { UpdatedAt = Ago(30) };
        var refundId = order.Id + 1040;
        await host.OrderEventAsync("orders/create", Paid(order));
        await host.OrderEventAsync("orders/updated", Edited(order, null));

        // One T-shirt back (256.50), its money settled; orders/updated saying so overtakes refunds/create.
        var refund = JsonNode.Parse(order.RefundJson(refundId, restock: true, (0, 1)))!;
        refund["transactions"]![0]!["amount"] = Money(256.50m);
        var now = JsonNode.Parse(Edited(order, null))!;
        now["line_items"]![0]!["current_quantity"] = 1;
        now["refunds"] = new JsonArray(refund.DeepClone());
        now["updated_at"] = Ago(1);
        Assert.Equal("done", await host.OrderEventAsync("orders/updated", now.ToJsonString()));
        Assert.Equal(0, await books.CountAsync("Overpayment Refund", refundId));

        Assert.Equal("done", await host.DeliverAsync("refunds/create", refund.ToJsonString()));

        Assert.Equal(256.50m, (await books.DocumentAsync("Sales Return", refundId)).GetProperty("grandTotal").GetDecimal());
        Assert.Equal(0, await books.CountAsync("Overpayment Refund", refundId));
        // The mug's money is still the customer's, for the refund that pays it back.
        Assert.Equal(-Mug, (await books.DocumentAsync(order, "Sales Invoice")).GetProperty("outstanding").GetDecimal());
    }

    // The one credit note of units an edit took off the order.
    private async Task<System.Text.Json.JsonElement> EditCreditAsync(ShopifyOrderPayload order)
    {
        var id = await books.SingleAsync<long>("SELECT id FROM erp.sales_document WHERE doc_type = 'Sales Return' AND source_id LIKE @id",
            new { id = order.Id.ToString(CultureInfo.InvariantCulture) + ":edit:%" });
        return await host.GetJsonAsync($"/api/erp/sales-documents/{id}");
    }

    // Every run of the order ended, and no incident of the order or its refund is left open.
    private async Task AssertSettledAsync(ShopifyOrderPayload order, long refundId)
    {
        Assert.All(await host.OrderRunsAsync(order.Id), r => Assert.Equal("Finished", r.GetProperty("status").GetString()));
        Assert.Equal(0, await host.CountAsync("SELECT count(*) FROM flows.incident WHERE status = 'Open' AND (message LIKE @order OR message LIKE @refund)",
            new { order = $"%{order.Id}%", refund = $"%{refundId}%" }));
    }

    private static string Ago(int minutes) => DateTimeOffset.UtcNow.AddMinutes(-minutes).ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture);

    private static string Money(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>The order as placed, paid in full by card.</summary>
    private static string Paid(ShopifyOrderPayload order)
    {
        var json = JsonNode.Parse(order.Json())!;
        json["transactions"] = Sale(order);
        return json.ToJsonString();
    }

    private static JsonArray Sale(ShopifyOrderPayload order) =>
        new(new JsonObject { ["kind"] = "sale", ["status"] = "success", ["amount"] = Money(order.Total), ["gateway"] = order.Gateway });

    /// <summary>
    /// The order as the store shows it: paid in full by card, then the mug removed by an edit (current_quantity 0, the
    /// total down by its price); with <paramref name="refundId"/> also the refund of money that followed, in that state.
    /// </summary>
    private static string Edited(ShopifyOrderPayload order, long? refundId, string status = "success", string? updatedAt = null, decimal amount = Mug)
    {
        var json = JsonNode.Parse(order.Json())!;
        json["line_items"]![1]!["current_quantity"] = 0;
        json["current_total_price"] = Money(order.Total - Mug);
        json["total_outstanding"] = Money(refundId is null ? -Mug : 0);
        json["updated_at"] = updatedAt ?? Ago(20);
        json["transactions"] = Sale(order);
        if (refundId is { } id)
        {
            json["financial_status"] = "partially_refunded";
            json["refunds"] = new JsonArray(JsonNode.Parse(MoneyRefund(order, id, status, amount)));
        }

        return json.ToJsonString();
    }

    /// <summary>refunds/create for money only: no lines, no shipping, no adjustments.</summary>
    private static string MoneyRefund(ShopifyOrderPayload order, long refundId, string status = "success", decimal amount = Mug)
    {
        var json = JsonNode.Parse(order.RefundJson(refundId, restock: false))!;
        json["note"] = null;
        json["transactions"] = new JsonArray(new JsonObject { ["kind"] = "refund", ["status"] = status, ["amount"] = Money(amount), ["gateway"] = order.Gateway });
        json["order_adjustments"] = new JsonArray();
        return json.ToJsonString();
    }
}
