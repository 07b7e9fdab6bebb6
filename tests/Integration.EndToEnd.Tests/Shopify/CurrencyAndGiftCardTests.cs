using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;

namespace Integration.EndToEnd.Tests.Shopify;

/// <summary>
/// Shopify money the plain order does not show: an order presented in another currency (booked in shop money, the
/// presentment kept for the receipt), gift cards sold (a liability, not income: no VAT, no stock) and gift cards
/// redeemed (the liability settled, the rest on the gateway's account). Each posted once however often it comes.
/// </summary>
public sealed class CurrencyAndGiftCardTests(ShopifyStoreHost host) : IClassFixture<ShopifyStoreHost>
{
    private readonly ErpBooks books = new(host);

    private const decimal UsdToEgp = 49.37m;

    [Fact]
    public async Task A_USD_presented_order_is_invoiced_in_EGP_shop_money_to_the_piaster_and_once()
    {
        var order = new ShopifyOrderPayload { Lines = [(Next(), "TSHIRT-BLU-M", 2, 4.99m, 1.00m), (Next(), "MUG-WHT", 1, 2.40m, 0.24m)] };
        var (json, shop) = Presented(order, shippingUsd: 1.00m);

        await host.OrderEventAsync("orders/create", json);
        await host.OrderEventAsync("orders/create", json);
        await host.OrderEventAsync("orders/paid", json);

        Assert.Equal(1, await books.CountAsync(order, "Sales Invoice"));
        Assert.Equal(1, await books.CountAsync(order, "Payment"));
        var invoice = await books.DocumentAsync(order, "Sales Invoice");
        Assert.Equal("EGP", invoice.GetProperty("currency").GetString());
        Assert.Equal(1m, invoice.GetProperty("exchangeRate").GetDecimal());
        Assert.Equal(shop.Total, invoice.GetProperty("grandTotal").GetDecimal());
        Assert.Equal(shop.Tax, invoice.GetProperty("taxTotal").GetDecimal());
        Assert.Equal(shop.Subtotal + shop.Shipping, invoice.GetProperty("netTotal").GetDecimal());
        Assert.Equal("Paid", invoice.GetProperty("status").GetString());

        var gl = await books.GlAsync(invoice.GetProperty("docNo").GetString()!);
        Assert.Equal(shop.Total, ErpBooks.Debit(gl, "1150"));
        Assert.Equal(shop.Subtotal, ErpBooks.Credit(gl, "4100"));
        Assert.Equal(shop.Shipping, ErpBooks.Credit(gl, "4200"));
        Assert.Equal(shop.Tax, ErpBooks.Credit(gl, "2120"));
        Assert.Equal(0m, ErpBooks.Debit(gl, "5900") + ErpBooks.Credit(gl, "5900"));
        var payment = await books.DocumentAsync(order, "Payment");
        Assert.Equal(shop.Total, ErpBooks.Debit(await books.GlAsync(payment.GetProperty("docNo").GetString()!), "1130"));

        // What the buyer saw stays on the invoice for the receipt.
        var remarks = await books.SingleAsync<string>("SELECT remarks FROM erp.sales_document WHERE id = @id", new { id = invoice.GetProperty("id").GetInt64() });
        Assert.EndsWith($"presented in USD {Money(shop.PresentmentTotal)}", remarks, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Money_given_back_without_goods_on_a_USD_presented_order_is_credited_and_paid_back_in_EGP_shop_money()
    {
        var order = new ShopifyOrderPayload { Lines = [(Next(), "TSHIRT-BLU-M", 2, 4.99m, 1.00m), (Next(), "MUG-WHT", 1, 2.40m, 0.24m)] };
        var (json, _) = Presented(order, shippingUsd: 1.00m);
        await host.OrderEventAsync("orders/create", json);
        var refundId = order.Id + 900;

        // A goodwill refund of USD 2.00. The store's order holds its transaction in both moneys; refunds/create in the
        // buyer's money only.
        var refund = JsonNode.Parse(order.RefundJson(refundId, restock: false))!;
        refund["note"] = "Goodwill";
        refund["transactions"] = new JsonArray(new JsonObject { ["kind"] = "refund", ["status"] = "success", ["amount"] = "2.00", ["currency"] = "USD", ["gateway"] = order.Gateway });
        var now = JsonNode.Parse(json)!;
        var stored = refund.DeepClone();
        stored["transactions"]![0]!["amount_set"] = Set(2.00m);
        now["refunds"] = new JsonArray(stored);
        now["financial_status"] = "partially_refunded";
        now["updated_at"] = "2026-11-26T12:00:00+02:00";
        host.Shopify.State.AddOrder(now.ToJsonString());

        Assert.Equal("done", await host.DeliverAsync("refunds/create", refund.ToJsonString()));

        var note = await books.DocumentAsync("Sales Return", refundId);
        Assert.Equal(Egp(2.00m), note.GetProperty("grandTotal").GetDecimal()); // 98.74, not 2.00
        Assert.Equal(Egp(2.00m), ErpBooks.Credit(await books.GlAsync(note.GetProperty("docNo").GetString()! + "-REFUND"), "1130"));
        Assert.Equal(1, await books.CountAsync("Sales Return", refundId));
    }

    [Fact]
    public async Task A_gift_card_sold_is_a_liability_without_VAT_or_stock_and_only_the_T_shirt_is_income()
    {
        var order = new ShopifyOrderPayload { Lines = [(Next(), "TSHIRT-BLU-M", 1, 250.00m, 0m)] };
        var node = JsonNode.Parse(order.Json())!;
        var card = Next();
        node["line_items"]!.AsArray().Add(ShopifyOrderPayload.GiftCardLine(card, 500.00m));
        const decimal total = 250m + 500m + ShopifyOrderPayload.Shipping + 35m + 7m;
        node["subtotal_price"] = "750.00";
        node["total_line_items_price"] = "750.00";
        node["total_discounts"] = "0.00";
        node["total_tax"] = "42.00";
        node["total_price"] = Money(total);

        await host.OrderEventAsync("orders/create", node.ToJsonString());
        await host.OrderEventAsync("orders/paid", node.ToJsonString());

        Assert.Equal(1, await books.CountAsync(order, "Sales Invoice"));
        var invoice = await books.DocumentAsync(order, "Sales Invoice");
        Assert.Equal(total, invoice.GetProperty("grandTotal").GetDecimal());
        Assert.Equal(42m, invoice.GetProperty("taxTotal").GetDecimal());
        var line = invoice.GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("sourceLineId").GetString() == $"gid://shopify/LineItem/{card}");
        Assert.Equal(JsonValueKind.Null, line.GetProperty("sku").ValueKind);
        Assert.Equal("2130", line.GetProperty("incomeAccount").GetString());
        Assert.Equal(0m, line.GetProperty("taxAmount").GetDecimal());
        Assert.Equal(0m, line.GetProperty("taxRate").GetDecimal());

        var docNo = invoice.GetProperty("docNo").GetString()!;
        var gl = await books.GlAsync(docNo);
        Assert.Equal(250m, ErpBooks.Credit(gl, "4100"));
        Assert.Equal(500m, ErpBooks.Credit(gl, "2130"));
        Assert.Equal(42m, ErpBooks.Credit(gl, "2120"));
        Assert.Equal(total, ErpBooks.Debit(gl, "1150"));
        Assert.Equal(100m, ErpBooks.Debit(gl, "5100")); // the T-shirt's cost only
        await using var connection = await host.OpenAsync();
        var moved = (await connection.QueryAsync<string>("SELECT sku FROM erp.stock_ledger_entry WHERE voucher_no = @docNo", new { docNo })).ToList();
        Assert.Equal(["TSHIRT-BLU-M"], moved);
    }

    [Fact]
    public async Task An_order_paid_partly_by_gift_card_debits_the_liability_for_that_part_and_the_gateway_for_the_rest_once()
    {
        var order = new ShopifyOrderPayload();
        var node = JsonNode.Parse(order.Json())!;
        const decimal byCard = 200.00m;
        var rest = order.Total - byCard;
        node["payment_gateway_names"] = new JsonArray("gift_card", "shopify_payments");
        // As Shopify holds them (the order read back carries them; a webhook's order does not).
        node["transactions"] = new JsonArray(
            Transaction(order.Id + 11, "gift_card", "sale", "success", byCard),
            Transaction(order.Id + 12, "shopify_payments", "authorization", "success", rest),
            Transaction(order.Id + 13, "shopify_payments", "capture", "success", rest),
            Transaction(order.Id + 14, "shopify_payments", "sale", "failure", rest));
        var json = node.ToJsonString();

        await host.OrderEventAsync("orders/create", json);
        await host.OrderEventAsync("orders/paid", json);
        await host.OrderEventAsync("orders/paid", json);

        var invoice = await books.DocumentAsync(order, "Sales Invoice");
        Assert.Equal("Paid", invoice.GetProperty("status").GetString());
        Assert.Equal(0m, invoice.GetProperty("outstanding").GetDecimal());
        var payments = await PaymentsAsync(order);
        Assert.Equal(2, payments.Count);
        var gl = await GlOfAsync(payments);

        Assert.Equal(byCard, ErpBooks.Debit(gl, "2130"));
        Assert.Equal(rest, ErpBooks.Debit(gl, "1130"));
        Assert.Equal(order.Total, ErpBooks.Credit(gl, "1150"));
    }

    [Fact]
    public async Task A_point_of_sale_order_paid_by_gift_card_and_cash_with_change_given_takes_the_cash_less_the_change()
    {
        var order = new ShopifyOrderPayload();
        var node = JsonNode.Parse(order.Json())!;
        const decimal byCard = 200.00m;
        var rest = order.Total - byCard;
        node["payment_gateway_names"] = new JsonArray("gift_card", "cash");
        // The cashier took a 100 note more than was due and gave it back: Shopify records the tender and the change.
        node["transactions"] = new JsonArray(
            Transaction(order.Id + 21, "gift_card", "sale", "success", byCard),
            Transaction(order.Id + 22, "cash", "sale", "success", rest + 100m),
            Transaction(order.Id + 23, "cash", "change", "success", 100m));
        var json = node.ToJsonString();

        await host.OrderEventAsync("orders/create", json);
        await host.OrderEventAsync("orders/paid", json);

        var invoice = await books.DocumentAsync(order, "Sales Invoice");
        Assert.Equal(("Paid", 0m), (invoice.GetProperty("status").GetString(), invoice.GetProperty("outstanding").GetDecimal()));
        var gl = await GlOfAsync(await PaymentsAsync(order));

        Assert.Equal(byCard, ErpBooks.Debit(gl, "2130"));
        Assert.Equal(order.Total, ErpBooks.Credit(gl, "1150"));
        Assert.Equal(order.Total, gl.Sum(e => e.GetProperty("debit").GetDecimal()));
        Assert.All(await host.OrderRunsAsync(order.Id), r => Assert.Equal("Finished", r.GetProperty("status").GetString()));
    }

    [Theory]
    [InlineData("success")]
    [InlineData("pending")] // the gift card is paid back at once, the card later: each account still gets its own part
    public async Task A_refund_paid_back_to_the_gift_card_and_the_card_credits_each_account_its_part(string cardStatus)
    {
        var order = new ShopifyOrderPayload();
        var node = JsonNode.Parse(order.Json())!;
        const decimal byGiftCard = 200.00m;
        var rest = order.Total - byGiftCard;
        node["payment_gateway_names"] = new JsonArray("gift_card", "shopify_payments");
        node["transactions"] = new JsonArray(
            Transaction(order.Id + 31, "gift_card", "sale", "success", byGiftCard),
            Transaction(order.Id + 32, "shopify_payments", "sale", "success", rest));
        await host.OrderEventAsync("orders/create", node.ToJsonString());

        // Everything back, each payment to where it came from: two refund transactions.
        var refundId = order.Id + 900;
        var refund = JsonNode.Parse(order.RefundJson(refundId, true, (0, 2), (1, 1)))!;
        refund["transactions"] = new JsonArray(
            new JsonObject { ["kind"] = "refund", ["status"] = "success", ["amount"] = Money(byGiftCard), ["gateway"] = "gift_card" },
            new JsonObject { ["kind"] = "refund", ["status"] = cardStatus, ["amount"] = Money(rest - ShopifyOrderPayload.Shipping - 7.00m), ["gateway"] = "shopify_payments" });
        var now = node.DeepClone();
        now["refunds"] = new JsonArray(refund.DeepClone());
        now["financial_status"] = "partially_refunded";
        now["updated_at"] = "2026-11-26T12:00:00+02:00";
        host.Shopify.State.AddOrder(now.ToJsonString());

        Assert.Equal("done", await host.DeliverAsync("refunds/create", refund.ToJsonString()));
        await host.DeliverAsync("refunds/create", refund.ToJsonString());

        var note = await books.DocumentAsync("Sales Return", refundId);
        var goods = order.Total - ShopifyOrderPayload.Shipping - 7.00m;
        Assert.Equal(goods, note.GetProperty("grandTotal").GetDecimal());
        var paidBack = await books.GlAsync(note.GetProperty("docNo").GetString()! + "-REFUND");
        Assert.Equal(byGiftCard, ErpBooks.Credit(paidBack, "2130")); // the gift card's balance is owed again
        Assert.Equal(goods - byGiftCard, ErpBooks.Credit(paidBack, "1130"));
        Assert.Equal(goods, ErpBooks.Debit(paidBack, "1150"));
        Assert.Equal(1, await books.CountAsync("Sales Return", refundId));
    }

    [Fact]
    public async Task An_order_paid_by_two_gift_cards_and_a_card_that_the_webhook_does_not_split_gets_one_payment_per_gateway()
    {
        var order = new ShopifyOrderPayload();
        const decimal firstCard = 100.10m, secondCard = 50.25m;
        var rest = order.Total - firstCard - secondCard;
        // The webhook's order names the gateways but not what each took; the store holds the transactions.
        var webhook = JsonNode.Parse(order.Json())!;
        webhook["payment_gateway_names"] = new JsonArray("gift_card", "shopify_payments");
        var held = webhook.DeepClone();
        held["transactions"] = new JsonArray(
            Transaction(order.Id + 21, "gift_card", "sale", "success", firstCard),
            Transaction(order.Id + 22, "gift_card", "sale", "success", secondCard),
            Transaction(order.Id + 23, "shopify_payments", "authorization", "success", rest),
            Transaction(order.Id + 24, "shopify_payments", "capture", "success", rest));
        host.Shopify.State.AddOrder(held.ToJsonString());

        Assert.Equal("done", await host.DeliverAsync("orders/create", webhook.ToJsonString()));
        await host.DeliverAsync("orders/paid", webhook.ToJsonString());

        var invoice = await books.DocumentAsync(order, "Sales Invoice");
        Assert.Equal(0m, invoice.GetProperty("outstanding").GetDecimal());
        var payments = await PaymentsAsync(order);
        Assert.Equal(2, payments.Count);
        var byGiftCards = await books.GlAsync(payments[0]);
        var byCard = await books.GlAsync(payments[1]);
        Assert.Equal(firstCard + secondCard, ErpBooks.Debit(byGiftCards, "2130"));
        Assert.Equal(0m, ErpBooks.Debit(byGiftCards, "1130"));
        Assert.Equal(rest, ErpBooks.Debit(byCard, "1130"));
        Assert.Equal(order.Total, ErpBooks.Credit([.. byGiftCards, .. byCard], "1150"));
    }

    private static JsonObject Transaction(long id, string gateway, string kind, string status, decimal amount) => new()
    {
        ["id"] = id,
        ["gateway"] = gateway,
        ["kind"] = kind,
        ["status"] = status,
        ["amount"] = Money(amount),
    };

    private sealed record ShopTotals(decimal Subtotal, decimal Shipping, decimal Tax, decimal Total, decimal PresentmentTotal);

    /// <summary>
    /// The order as a USD buyer saw it on the EGP shop: plain fields in presentment money, every <c>*_set</c> with both;
    /// shop money is each presentment amount converted and rounded, tax taken on the USD amounts then converted (so it
    /// is not 14 % of the EGP net to the piaster).
    /// </summary>
    private static (string Json, ShopTotals Shop) Presented(ShopifyOrderPayload order, decimal shippingUsd)
    {
        var node = JsonNode.Parse(order.Json())!;
        node["presentment_currency"] = "USD";
        decimal subtotal = 0, tax = 0, usdSubtotal = 0, usdTax = 0, discounts = 0, usdDiscounts = 0;
        var items = node["line_items"]!.AsArray();
        for (var i = 0; i < items.Count; i++)
        {
            var (_, _, qty, price, discount) = order.Lines[i];
            var line = items[i]!;
            var lineTaxUsd = Round(((qty * price) - discount) * 0.14m);
            line["price"] = Money(price);
            line["price_set"] = Set(price);
            line["discount_allocations"] = new JsonArray(new JsonObject { ["amount"] = Money(discount), ["amount_set"] = Set(discount), ["discount_application_index"] = 0 });
            line["tax_lines"] = new JsonArray(new JsonObject { ["title"] = "VAT", ["rate"] = 0.14, ["price"] = Money(lineTaxUsd), ["price_set"] = Set(lineTaxUsd) });
            subtotal += (qty * Egp(price)) - Egp(discount);
            usdSubtotal += (qty * price) - discount;
            tax += Egp(lineTaxUsd);
            usdTax += lineTaxUsd;
            discounts += Egp(discount);
            usdDiscounts += discount;
        }

        var shippingTaxUsd = Round(shippingUsd * 0.14m);
        var shipping = node["shipping_lines"]![0]!;
        shipping["price"] = Money(shippingUsd);
        shipping["price_set"] = Set(shippingUsd);
        shipping["discounted_price"] = Money(shippingUsd);
        shipping["tax_lines"] = new JsonArray(new JsonObject { ["title"] = "VAT", ["rate"] = 0.14, ["price"] = Money(shippingTaxUsd), ["price_set"] = Set(shippingTaxUsd) });
        tax += Egp(shippingTaxUsd);
        usdTax += shippingTaxUsd;
        var total = subtotal + Egp(shippingUsd) + tax;
        var usdTotal = usdSubtotal + shippingUsd + usdTax;

        node["total_discounts"] = Money(usdDiscounts);
        node["total_discounts_set"] = Set(usdDiscounts, discounts);
        node["subtotal_price"] = Money(usdSubtotal);
        node["subtotal_price_set"] = Set(usdSubtotal, subtotal);
        node["total_tax"] = Money(usdTax);
        node["total_tax_set"] = Set(usdTax, tax);
        node["total_price"] = Money(usdTotal);
        node["total_price_set"] = Set(usdTotal, total);
        return (node.ToJsonString(), new ShopTotals(subtotal, Egp(shippingUsd), tax, total, usdTotal));
    }

    private static decimal Egp(decimal usd) => Round(usd * UsdToEgp);

    private static JsonObject Set(decimal usd, decimal? egp = null) => new()
    {
        ["shop_money"] = new JsonObject { ["amount"] = Money(egp ?? Egp(usd)), ["currency_code"] = "EGP" },
        ["presentment_money"] = new JsonObject { ["amount"] = Money(usd), ["currency_code"] = "USD" },
    };

    private static long _ids = 5_982_000_000_000;

    private static long Next() => Interlocked.Add(ref _ids, 10);

    private static decimal Round(decimal value) => Math.Round(value, 2, MidpointRounding.AwayFromZero);

    private static string Money(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    // The ledger entries of several documents, together.
    private async Task<List<JsonElement>> GlOfAsync(IEnumerable<string> docNos)
    {
        var gl = new List<JsonElement>();
        foreach (var docNo in docNos)
        {
            gl.AddRange(await books.GlAsync(docNo));
        }

        return gl;
    }

    private async Task<List<string>> PaymentsAsync(ShopifyOrderPayload order)
    {
        await using var connection = await host.OpenAsync();
        return [.. await connection.QueryAsync<string>(
            "SELECT doc_no FROM erp.sales_document WHERE doc_type = 'Payment' AND source_system = 'shopify' AND source_store = @Store AND (source_id = @id OR source_id LIKE @id || ':%') ORDER BY id",
            new { ShopifyStoreHost.Store, id = order.Id.ToString(CultureInfo.InvariantCulture) })];
    }

}
