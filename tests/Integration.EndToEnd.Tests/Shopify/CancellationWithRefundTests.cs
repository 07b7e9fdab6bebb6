using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Integration.EndToEnd.Tests.Eta;

namespace Integration.EndToEnd.Tests.Shopify;

/// <summary>
/// A paid order cancelled in the Shopify admin with its money refunded sends two webhooks, orders/cancelled and
/// refunds/create, in either order. Between them every line, the shipping and the money are credited exactly once,
/// the stock comes back once, and one return receipt is sent.
/// </summary>
public sealed class CancellationWithRefundTests(EtaStoreHost host) : IClassFixture<EtaStoreHost>
{
    private readonly ErpBooks books = new(host);

    [Theory]
    [InlineData("orders/cancelled first")]
    [InlineData("refunds/create first")]
    public async Task A_cancellation_with_a_full_refund_credits_every_line_shipping_and_money_once(string order_of_webhooks)
    {
        var order = new ShopifyOrderPayload();
        await host.OrderEventAsync("orders/create", order.Json());
        var invoiceNo = (await books.DocumentAsync(order, "Sales Invoice")).GetProperty("docNo").GetString()!;
        var (shirts, mugs) = (await books.ActualAsync("TSHIRT-BLU-M"), await books.ActualAsync("MUG-WHT"));

        var refundId = order.Id + 700;
        var refund = order.CancellationRefundJson(refundId);
        var cancelled = Cancelled(order, refund);
        if (order_of_webhooks == "orders/cancelled first")
        {
            Assert.Equal("done", await host.OrderEventAsync("orders/cancelled", cancelled));
            Assert.Equal("done", await host.DeliverAsync("refunds/create", refund));
        }
        else
        {
            host.Shopify.State.AddOrder(cancelled);
            Assert.Equal("done", await host.DeliverAsync("refunds/create", refund));
            Assert.Equal("done", await host.DeliverAsync("orders/cancelled", cancelled));
        }

        // Redelivered, both change nothing.
        await host.DeliverAsync("orders/cancelled", cancelled);
        await host.DeliverAsync("refunds/create", refund);

        var note = Assert.Single(await CreditNotesAsync(order));
        Assert.Equal(Id(refundId), note.GetProperty("sourceId").GetString());
        Assert.Equal(order.Total, note.GetProperty("grandTotal").GetDecimal());
        var noteNo = note.GetProperty("docNo").GetString()!;
        Assert.Equal(order.Total, ErpBooks.Credit(await books.GlAsync(noteNo + "-REFUND"), "1130"));
        Assert.Equal(shirts + 2, await books.ActualAsync("TSHIRT-BLU-M"));
        Assert.Equal(mugs + 1, await books.ActualAsync("MUG-WHT"));
        Assert.Equal("Returned", (await books.DocumentAsync(order, "Sales Invoice")).GetProperty("status").GetString());

        var returned = Assert.Single(await host.ReceiptsOfAsync(noteNo));
        Assert.Equal(order.Total, returned.GetProperty("totalAmount").GetDecimal());
        Assert.Single(await host.ReceiptsOfAsync(invoiceNo));
        var runs = await host.OrderRunsAsync(order.Id);
        Assert.All(runs, r => Assert.Equal("Finished", r.GetProperty("status").GetString()));
        Assert.Contains(runs, r => r.GetProperty("definitionId").GetString() == "shopify-order-to-cash"
            && r.GetProperty("output").GetProperty("outcome").GetString() is "LeftToRefunds" or "AlreadyCredited");
    }

    [Theory]
    [InlineData("partially_refunded", true)]
    [InlineData("refunded", false)]
    public async Task An_order_cancelled_before_the_erp_booked_it_is_an_incident_only_when_money_was_kept(string financialStatus, bool incident)
    {
        // Paid, part refunded and cancelled while the host was away: orders/cancelled is the first it hears of it.
        var order = new ShopifyOrderPayload();
        var refundId = order.Id + 850;
        var refund = financialStatus == "refunded" ? order.CancellationRefundJson(refundId) : order.PartialCancellationRefundJson(refundId);
        var cancelled = Cancelled(order, refund, financialStatus);
        host.Shopify.State.AddOrder(cancelled);

        await host.DeliverAsync("orders/cancelled", cancelled);
        await host.DeliverAsync("refunds/create", refund);

        Assert.Equal(0, await books.CountAsync(order, "Sales Invoice"));
        var open = await host.CountAsync("SELECT count(*) FROM flows.incident WHERE status = 'Open' AND message LIKE @kept",
            new { kept = $"Order #{order.Id % 100000} was cancelled before the ERP booked it, but its customer paid%" });
        Assert.Equal(incident ? 1L : 0L, open);
    }

    [Fact]
    public async Task A_cancellation_whose_refund_leaves_a_line_credits_that_line_and_the_shipping_on_the_customer_account()
    {
        var order = new ShopifyOrderPayload();
        await host.OrderEventAsync("orders/create", order.Json());
        var mugs = await books.ActualAsync("MUG-WHT");

        // The merchant refunded the T-shirts only; the mug and the shipping are cancelled without money going back.
        var refundId = order.Id + 800;
        var refund = order.PartialCancellationRefundJson(refundId);
        Assert.Equal("done", await host.OrderEventAsync("orders/cancelled", Cancelled(order, refund, financialStatus: "partially_refunded")));
        Assert.Equal("done", await host.DeliverAsync("refunds/create", refund));

        var notes = await CreditNotesAsync(order);
        Assert.Equal(2, notes.Count);
        var cancellation = Assert.Single(notes, n => n.GetProperty("sourceId").GetString() == Id(order.Id) + "/cancel");
        Assert.Equal(["MUG-WHT", null], cancellation.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("sku").GetString()).Order().Reverse());
        Assert.Equal(123.12m + 57.00m, cancellation.GetProperty("grandTotal").GetDecimal());
        Assert.Empty(await books.GlAsync(cancellation.GetProperty("docNo").GetString()! + "-REFUND"));
        var byRefund = Assert.Single(notes, n => n.GetProperty("sourceId").GetString() == Id(refundId));
        Assert.Equal("TSHIRT-BLU-M", Assert.Single(byRefund.GetProperty("lines").EnumerateArray()).GetProperty("sku").GetString());
        Assert.Equal(order.Total, notes.Sum(n => n.GetProperty("grandTotal").GetDecimal()));
        Assert.Equal(mugs + 1, await books.ActualAsync("MUG-WHT"));
        Assert.All(await host.OrderRunsAsync(order.Id), r => Assert.Equal("Finished", r.GetProperty("status").GetString()));
    }

    [Theory]
    [InlineData("the mug and the shipping")]
    [InlineData("the mug only")]
    [InlineData("the mug and the shipping, 10.00 kept")]
    public async Task A_later_refund_of_what_a_cancellation_left_on_the_customer_account_pays_it_back_once_or_raises_an_incident_when_it_is_only_part(string refunded)
    {
        var withShipping = refunded != "the mug only";
        var whole = refunded == "the mug and the shipping";
        var order = new ShopifyOrderPayload();
        await host.OrderEventAsync("orders/create", order.Json());
        var refund = order.PartialCancellationRefundJson(order.Id + 800);
        Assert.Equal("done", await host.OrderEventAsync("orders/cancelled", Cancelled(order, refund, financialStatus: "partially_refunded")));
        Assert.Equal("done", await host.DeliverAsync("refunds/create", refund));
        var cancellation = Assert.Single(await CreditNotesAsync(order), n => n.GetProperty("sourceId").GetString() == Id(order.Id) + "/cancel");
        var cancellationNo = cancellation.GetProperty("docNo").GetString()!;

        // Days later the merchant refunds the mug (and the shipping): the money the cancellation left on the customer's account.
        var rest = order.RestOfPartialCancellationRefundJson(order.Id + 900, withShipping);
        if (refunded.EndsWith("kept", StringComparison.Ordinal))
        {
            var kept = JsonNode.Parse(rest)!;
            var money = kept["transactions"]![0]!;
            money["amount"] = (decimal.Parse((string)money["amount"]!, CultureInfo.InvariantCulture) - 10m).ToString("0.00", CultureInfo.InvariantCulture);
            rest = kept.ToJsonString();
        }

        var now = JsonNode.Parse(Cancelled(order, refund, financialStatus: whole ? "refunded" : "partially_refunded"))!;
        now["refunds"]!.AsArray().Add(JsonNode.Parse(rest));
        host.Shopify.State.AddOrder(now.ToJsonString());
        Assert.Equal("done", await host.DeliverAsync("refunds/create", rest));
        await host.DeliverAsync("refunds/create", rest);

        Assert.Equal(2, (await CreditNotesAsync(order)).Count);
        var runs = await host.OrderRunsAsync(order.Id);
        if (whole)
        {
            Assert.Equal(123.12m + 57.00m, ErpBooks.Credit(await books.GlAsync(cancellationNo + "-REFUND"), "1130"));
            Assert.All(runs, r => Assert.Equal("Finished", r.GetProperty("status").GetString()));
            Assert.Contains(runs, r => r.GetProperty("definitionId").GetString() == "shopify-refund" && r.GetProperty("output").GetProperty("outcome").GetString() == "credited " + cancellationNo);
        }
        else
        {
            // The mug alone is 123.12 of the 180.12 the cancellation credited (or 10.00 of it was kept): how much went back is for a person to say.
            Assert.Empty(await books.GlAsync(cancellationNo + "-REFUND"));
            Assert.Contains(runs, r => r.GetProperty("status").GetString() == "Faulted");
            Assert.Contains((await host.GetJsonAsync("/api/incidents?limit=500")).EnumerateArray(), i =>
                i.GetProperty("message").GetString()!.Contains($"Refund {order.Id + 900} of shopify order {Id(order.Id)}", StringComparison.Ordinal)
                && i.GetProperty("message").GetString()!.Contains(cancellationNo, StringComparison.Ordinal));
        }
    }

    private static string Cancelled(ShopifyOrderPayload order, string refund, string financialStatus = "refunded")
    {
        var cancelled = JsonNode.Parse(order.Json())!;
        cancelled["cancelled_at"] = "2026-11-24T12:00:00+02:00";
        cancelled["cancel_reason"] = "customer";
        cancelled["financial_status"] = financialStatus;
        cancelled["updated_at"] = "2026-11-24T12:00:00+02:00";
        cancelled["refunds"] = new JsonArray(JsonNode.Parse(refund));
        return cancelled.ToJsonString();
    }

    private async Task<List<JsonElement>> CreditNotesAsync(ShopifyOrderPayload order)
    {
        await using var connection = await host.OpenAsync();
        var ids = await Dapper.SqlMapper.QueryAsync<long>(connection,
            "SELECT id FROM erp.sales_document WHERE doc_type = 'Sales Return' AND source_store = @Store AND against_id = (SELECT id FROM erp.sales_document WHERE doc_type = 'Sales Invoice' AND source_store = @Store AND source_id = @order)",
            new { ShopifyStoreHost.Store, order = Id(order.Id) });
        var notes = new List<JsonElement>();
        foreach (var id in ids)
        {
            notes.Add(await host.GetJsonAsync($"/api/erp/sales-documents/{id}"));
        }

        return notes;
    }

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
