using System.Globalization;
using System.Text.Json.Nodes;
using Integration.Connectors.Shopify.Orders;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.Shopify.Tests.Orders;

/// <summary>
/// A refund paid back over more tenders than the order read's first page of its transactions (3), e.g. a refund split
/// over a dozen gift cards, is read whole: the refunded money the credit note and its payment take is all of it.
/// </summary>
public sealed class ShopifyRefundTransactionsTests
{
    [Fact]
    public async Task A_refund_paid_back_over_13_tenders_is_read_with_all_13()
    {
        using var store = new ShopifySimulatorStore();
        var id = store.Simulator.State.AddOrder(OrderWithRefund(tenders: 13));

        var order = (await store.Services.GetRequiredService<ShopifyOrders>().GetAsync("sim", id.ToString(CultureInfo.InvariantCulture)))!;

        var transactions = order["refunds"]![0]!["transactions"]!.AsArray();
        Assert.Equal(13, transactions.Count);
        Assert.Equal(Enumerable.Range(1, 13).Select(n => $"gift_card_{n}"), transactions.Select(t => t!["gateway"]!.GetValue<string>()));
        Assert.Equal(12 * 10.00m + 5.00m, transactions.Sum(t => decimal.Parse(t!["amount"]!.GetValue<string>(), CultureInfo.InvariantCulture)));
        Assert.All(transactions, t => Assert.Equal("EGP", t!["amount_set"]!["shop_money"]!["currency_code"]!.GetValue<string>()));
        Assert.Equal(1, store.Simulator.Ran("Order"));
        Assert.Equal(1, store.Simulator.Ran("RefundTransactions"));
    }

    [Fact]
    public async Task A_refund_of_3_tenders_costs_no_further_read()
    {
        using var store = new ShopifySimulatorStore();
        var id = store.Simulator.State.AddOrder(OrderWithRefund(tenders: 3));

        var order = (await store.Services.GetRequiredService<ShopifyOrders>().GetAsync("sim", id.ToString(CultureInfo.InvariantCulture)))!;

        Assert.Equal(3, order["refunds"]![0]!["transactions"]!.AsArray().Count);
        Assert.Equal(0, store.Simulator.Ran("RefundTransactions"));
    }

    // The last of 13 tenders paid back 5.00, the others 10.00.
    private static JsonObject OrderWithRefund(int tenders)
    {
        var order = LongShopifyOrder.Build(lines: 1, shipping: 0, tenders: tenders);
        if (tenders == 13)
        {
            order["refunds"]![0]!["transactions"]![12]!["amount"] = "5.00";
        }

        return order;
    }
}
