using System.Text.Json.Nodes;
using Integration.Connectors.WooCommerce.Refunds;
using Integration.Simulators.WooCommerce;
using static Integration.Simulators.WooCommerce.WooCommerceStoreState;

namespace Integration.Connectors.WooCommerce.Tests.Refunds;

/// <summary>
/// WooCommerce refunds (made by the simulator as wc_create_refund makes them) turned into ERP credits. The order:
/// 2 x T-shirt (line 11, 450.00 + 63.00 VAT), 1 x mug (line 12, 120.00 + 16.80), shipping (line 14, 50.00 + 7.00); 706.80.
/// </summary>
public sealed class RefundCreditsTests
{
    private readonly WooCommerceStoreState _store = new(TimeProvider.System);
    private readonly long _order;

    public RefundCreditsTests() => _order = _store.PutOrder(Order());

    private IReadOnlyList<RefundCredit> Credits() =>
        RefundCredits.From("cairo", _store.Order(_order)!, _store.Refunds(_order), "4200", "4210", "4300");

    [Fact]
    public void A_line_refunded_with_its_quantity_comes_back_as_goods_restocked_as_the_store_did()
    {
        _store.Refund(_order, [new RefundItem(11, 1, 225m, 31.50m)], reason: "Too small");
        _store.Refund(_order, [new RefundItem(12, 1, 120m, 16.80m)], restock: false);

        var credits = Credits();

        Assert.Equal(2, credits.Count);
        Assert.Equal([new RefundCreditLine("11", 1, RestockedInStore: 1)], credits[0].Lines); // the store's count of the line's restocked units
        Assert.Empty(credits[0].Amounts);
        Assert.True(credits[0].Restock);
        Assert.Equal(256.50m, credits[0].Amount);
        Assert.Equal("Too small", credits[0].Reason);
        Assert.Equal([new RefundCreditLine("12", 1, RestockedInStore: 0)], credits[1].Lines);
        Assert.False(credits[1].Restock);
        Assert.True(credits[0].RefundId < credits[1].RefundId);
    }

    [Fact]
    public void Shipping_refunded_in_full_is_its_line_and_in_part_an_amount_on_the_shipping_account()
    {
        _store.Refund(_order, [new RefundItem(14, 0, 20m, 2.80m)]);
        _store.Refund(_order, [new RefundItem(14, 0, 30m, 4.20m)]);

        var credits = Credits();

        Assert.All(credits, c => Assert.Empty(c.Lines));
        Assert.Equal(new RefundCreditAmount(20m, "4200", "Shipping refund: Flat rate", Tax: 2.80m), Assert.Single(credits[0].Amounts));
        Assert.Equal(new RefundCreditAmount(30m, "4200", "Shipping refund: Flat rate", Tax: 4.20m), Assert.Single(credits[1].Amounts));

        var other = new WooCommerceStoreState(TimeProvider.System);
        var order = other.PutOrder(Order());
        other.Refund(order, [new RefundItem(14, 0, 50m, 7m)]);
        var full = Assert.Single(RefundCredits.From("cairo", other.Order(order)!, other.Refunds(order), "4200", "4210", "4300"));
        Assert.Equal([new RefundCreditLine("14", 1)], full.Lines);
        Assert.Empty(full.Amounts);
        Assert.False(full.Restock);
    }

    [Fact]
    public void Money_without_goods_is_credited_on_the_discrepancy_account_with_its_vat_as_the_invoice_charged_it()
    {
        _store.Refund(_order, [], amount: 100m, reason: "Late delivery");
        _store.Refund(_order, [new RefundItem(12, 0, 10m, 1.40m)]);

        var credits = Credits();

        // The ERP shares it over the invoice's tax rates (taxAsInvoiced): the order's rate alone would be wrong for an order of taxed and exempt goods.
        Assert.Equal(new RefundCreditAmount(100m, "4300", "Refund without goods: Late delivery", AmountIncludesTax: true, Beyond: true, TaxAsInvoiced: true), Assert.Single(credits[0].Amounts));
        Assert.Empty(credits[0].Lines);
        Assert.False(credits[0].RestOfOrder);
        Assert.Equal(new RefundCreditAmount(10m, "4300", "Refund on Mug white", Tax: 1.40m), Assert.Single(credits[1].Amounts));
    }

    [Fact]
    public void A_rest_of_the_order_a_few_cents_short_after_money_given_back_without_goods_is_not_matched_to_its_lines()
    {
        // Three cents given back without goods, then the order set to Refunded: the rest is 706.77, three cents short of the
        // lines left, which is the money given back, not rounding. Its lines are not credited again in full.
        _store.Refund(_order, [], amount: 0.03m, reason: "Rounding");
        _store.SetOrderStatus(_order, "refunded");

        var rest = Credits()[1];

        Assert.False(rest.RestOfOrder);
        Assert.Empty(rest.Lines);
        Assert.Equal(706.77m, Assert.Single(rest.Amounts).Amount);
    }

    [Fact]
    public void Goods_refunded_above_their_price_add_the_difference_and_below_it_are_refused()
    {
        _store.Refund(_order, [new RefundItem(11, 1, 230m, 32.20m)]);

        var above = Assert.Single(Credits());
        Assert.Equal([new RefundCreditLine("11", 1, RestockedInStore: 1)], above.Lines);
        Assert.Equal(new RefundCreditAmount(5.70m, "4300", "Refunded above the price of T-shirt blue M", TaxRate: 14m, AmountIncludesTax: true), Assert.Single(above.Amounts));

        _store.Refund(_order, [new RefundItem(12, 1, 100m, 14m)]);
        var refused = Assert.Throws<RefundNotCreditableException>(Credits);
        Assert.Contains("less than they were sold at (136.80)", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Money_refunded_above_the_price_of_an_untaxed_line_reverses_no_vat()
    {
        var order = Order();
        order["total"] = "726.80";
        ((JsonArray)order["line_items"]!).Add(new JsonObject { ["id"] = 15L, ["name"] = "Book", ["product_id"] = 103L, ["variation_id"] = 0L, ["quantity"] = 1, ["total"] = "20.00", ["total_tax"] = "0.00", ["meta_data"] = new JsonArray() });
        var store = new WooCommerceStoreState(TimeProvider.System);
        var id = store.PutOrder(order);
        store.Refund(id, [new RefundItem(15, 1, 25m, 0m)]);

        var credit = Assert.Single(RefundCredits.From("cairo", store.Order(id)!, store.Refunds(id), "4200", "4210", "4300"));

        Assert.Equal(new RefundCreditAmount(5m, "4300", "Refunded above the price of Book", TaxRate: 0m, AmountIncludesTax: true), Assert.Single(credit.Amounts));
    }

    [Fact]
    public void An_order_set_to_refunded_credits_whatever_is_left_line_by_line_without_restocking()
    {
        _store.Refund(_order, [new RefundItem(11, 1, 225m, 31.50m)]);
        _store.SetOrderStatus(_order, "refunded");

        var credits = Credits();

        Assert.Equal(2, credits.Count);
        var rest = credits[1];
        Assert.True(rest.RestOfOrder);
        Assert.Equal(450.30m, rest.Amount);
        Assert.Equal([new RefundCreditLine("11", 1), new RefundCreditLine("12", 1), new RefundCreditLine("14", 1)], rest.Lines);
        Assert.Empty(rest.Amounts);
        Assert.False(rest.Restock);
        Assert.Equal("refunded", (string?)_store.Order(_order)!["status"]);
    }

    [Fact]
    public void After_money_without_goods_the_rest_of_a_refunded_order_stays_money_without_goods()
    {
        _store.Refund(_order, [], amount: 6.80m);
        _store.SetOrderStatus(_order, "refunded");

        var rest = Credits()[1];

        Assert.False(rest.RestOfOrder);
        Assert.Empty(rest.Lines);
        Assert.Equal(700m, Assert.Single(rest.Amounts).Amount);
    }

    [Fact]
    public void A_refund_is_dated_by_its_gmt_time_marked_as_utc_not_by_the_sites_local_text()
    {
        // The ERP books that instant on its day in Cairo (SiteTimeZoneTests): the local text is another day when the
        // site is not on Cairo time, and a text without offset would be taken as a day as it stands.
        var order = _store.Order(_order)!;
        var refund = _store.Refund(_order, [new RefundItem(12, 1, 120m, 16.80m)]);
        refund["date_created"] = "2026-11-29T18:30:00"; // New York, UTC-5
        refund["date_created_gmt"] = "2026-11-29T23:30:00";

        var credit = Assert.Single(RefundCredits.From("cairo", order, [refund], "4200", "4210", "4300"));

        Assert.Equal("2026-11-29T23:30:00Z", credit.PostingDate);
    }

    [Fact]
    public void A_refunded_item_the_order_does_not_have_is_refused_with_the_order_and_refund_named()
    {
        var order = _store.Order(_order)!;
        var refund = _store.Refund(_order, [new RefundItem(12, 1, 120m, 16.80m)]);
        ((JsonObject)refund["line_items"]![0]!)["meta_data"]![0]!["value"] = "999";

        var error = Assert.Throws<RefundNotCreditableException>(() => RefundCredits.From("cairo", order, [refund], "4200", "4210", "4300"));

        Assert.Equal($"WooCommerce cairo order {_order} refund {(long)refund["id"]!}: it refunds item 999, which the order does not have.", error.Message);
    }

    private static JsonObject Order() => new()
    {
        ["status"] = "processing",
        ["total"] = "706.80",
        ["total_tax"] = "86.80",
        ["tax_lines"] = new JsonArray(new JsonObject { ["id"] = 13L, ["rate_percent"] = 14 }),
        ["line_items"] = new JsonArray(
            new JsonObject { ["id"] = 11L, ["name"] = "T-shirt blue M", ["product_id"] = 101L, ["variation_id"] = 0L, ["quantity"] = 2, ["total"] = "450.00", ["total_tax"] = "63.00", ["meta_data"] = new JsonArray() },
            new JsonObject { ["id"] = 12L, ["name"] = "Mug white", ["product_id"] = 102L, ["variation_id"] = 0L, ["quantity"] = 1, ["total"] = "120.00", ["total_tax"] = "16.80", ["meta_data"] = new JsonArray() }),
        ["shipping_lines"] = new JsonArray(new JsonObject { ["id"] = 14L, ["method_title"] = "Flat rate", ["total"] = "50.00", ["total_tax"] = "7.00", ["meta_data"] = new JsonArray() }),
        ["fee_lines"] = new JsonArray(),
        ["refunds"] = new JsonArray(),
    };
}
