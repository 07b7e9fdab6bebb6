using System.Text.Json.Nodes;
using Integration.Workflows.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using static Integration.Connectors.Shopify.Tests.ShopifyRuntime;

namespace Integration.Connectors.Shopify.Tests.Orders;

/// <summary>What a Shopify order, as its webhook delivers it, took from the store's stock (held by the stock pushes until booked).</summary>
public sealed class ShopifyOrderStockTests
{
    private static readonly Dictionary<string, string?> Stores = new()
    {
        ["Stores:0:ShopDomain"] = "cairo-books.myshopify.com",
        ["Stores:0:AppSecret"] = "s1",
        ["Stores:0:Name"] = "cairo",
        ["Stores:0:Company"] = "EG02",
        ["Stores:0:Warehouse"] = "CAIRO-WH",
        ["Stores:1:ShopDomain"] = "alex-books.myshopify.com",
        ["Stores:1:AppSecret"] = "s2",
    };

    [Fact]
    public void The_stores_of_a_company_are_named_as_their_deliveries_and_documents_name_them()
    {
        using var services = Create(Stores);
        var stock = services.GetServices<IStoreOrderStock>().Single(s => s.Source == "shopify");

        Assert.Equal([new OrderStockStore("cairo-books.myshopify.com", "cairo", "CAIRO-WH")], stock.Stores("EG02"));
        Assert.Equal([new OrderStockStore("alex-books.myshopify.com", "alex-books.myshopify.com", "MAIN-WH")], stock.Stores("EG01"));
    }

    [Fact]
    public void A_line_took_its_units_now_and_those_refunded_without_restock_gift_cards_and_lines_without_sku_took_none()
    {
        using var services = Create(Stores);
        var stock = services.GetServices<IStoreOrderStock>().Single(s => s.Source == "shopify");
        var store = stock.Stores("EG02").Single();
        var order = JsonNode.Parse("""
            {
              "id": 9007199254740993, "admin_graphql_api_id": "gid://shopify/Order/9007199254740993", "cancelled_at": null, "test": false,
              "line_items": [
                { "id": 11, "sku": "TSHIRT-BLU-M", "quantity": 3, "current_quantity": 1 },
                { "id": 12, "sku": "MUG-WHT", "quantity": 2, "current_quantity": 2 },
                { "id": 13, "sku": "GIFT-50", "quantity": 1, "current_quantity": 1, "gift_card": true },
                { "id": 14, "sku": "", "quantity": 1, "current_quantity": 1 },
                { "id": 15, "sku": "CAP-BLK", "quantity": 1, "current_quantity": 0 }
              ],
              "refunds": [ { "refund_line_items": [
                { "line_item_id": 11, "quantity": 1, "restock_type": "no_restock" },
                { "line_item_id": 11, "quantity": 1, "restock_type": "return" },
                { "line_item_id": 15, "quantity": 1, "restock_type": "cancel" } ] } ]
            }
            """)!.AsObject();

        // The T-shirts: 1 kept and 1 refunded without restock (Shopify did not put it back); the returned one is back.
        Assert.Equal([new TakenStock("9007199254740993", "TSHIRT-BLU-M", "CAIRO-WH", 2), new TakenStock("9007199254740993", "MUG-WHT", "CAIRO-WH", 2)],
            stock.Taken(order, store));

        order["cancelled_at"] = "2026-12-01T10:00:00Z";
        Assert.Empty(stock.Taken(order, store));
        order["cancelled_at"] = null;
        order["test"] = true;
        Assert.Empty(stock.Taken(order, store));
    }
}
