using System.Text.Json.Nodes;
using Integration.Workflows.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.WooCommerce.Tests.Inventory;

/// <summary>What a WooCommerce order took from the store's stock: WooCommerce lowers it once an order is paid or put on hold.</summary>
public sealed class WooCommerceOrderStockTests
{
    [Theory]
    [InlineData("processing", true)]
    [InlineData("on-hold", true)]
    [InlineData("completed", true)]
    [InlineData("shipped", true)] // a courier plugin's status after processing
    [InlineData("pending", false)]
    [InlineData("failed", false)]
    [InlineData("cancelled", false)]
    [InlineData("refunded", false)]
    [InlineData("checkout-draft", false)]
    [InlineData("trash", false)]
    public void An_order_took_its_lines_quantities_in_the_statuses_WooCommerce_lowers_stock_for(string status, bool took)
    {
        using var services = WooCommerceRuntime.Create(new Dictionary<string, string?>
        {
            ["Stores:0:Name"] = "cairo-woo",
            ["Stores:0:BaseUrl"] = "https://cairo-woo.example",
            ["Stores:0:ConsumerKey"] = "ck",
            ["Stores:0:ConsumerSecret"] = "cs",
            ["Stores:0:WebhookSecret"] = "ws",
            ["Stores:0:Warehouse"] = "CAIRO-WH",
        });
        var stock = services.GetServices<IStoreOrderStock>().Single(s => s.Source == "woocommerce");
        var store = Assert.Single(stock.Stores("EG01"));
        Assert.Empty(stock.Stores("EG02"));
        var order = JsonNode.Parse($$"""
            { "id": 727, "status": "{{status}}", "line_items": [
              { "id": 1, "sku": "TSHIRT-BLU-M", "quantity": 2 }, { "id": 2, "sku": "", "quantity": 1 }, { "id": 3, "sku": "MUG-WHT", "quantity": 1 } ] }
            """)!.AsObject();

        var taken = stock.Taken(order, store);

        Assert.Equal(took ? [new TakenStock("727", "TSHIRT-BLU-M", "CAIRO-WH", 2), new TakenStock("727", "MUG-WHT", "CAIRO-WH", 1)] : [], taken);
    }
}
