using System.Globalization;
using Integration.Sandbox;
using Integration.Simulators.Shopify;

namespace Integration.WholeLoop.Load;

/// <summary>One paid Shopify order of the run: its REST body (as the webhook carries it and the store keeps it) and ids.</summary>
public sealed record LoopOrder(long Id, string Name, string Body, int Units, bool Warmup)
{
    /// <summary>
    /// Orders as the sandbox's generator makes them (one to three items of the demo catalogue, one to three of each,
    /// a code on one in five, cash on delivery on one in five, a guest on one in six), from a pool of 1,000 shoppers so
    /// customer upserts rarely meet on one row. Ids grow with the clock, so a run never reuses one of an earlier run.
    /// </summary>
    public static IReadOnlyList<LoopOrder> Make(int warmup, int measured, ShopifyShopState shop, int seed, TimeProvider time)
    {
        var random = new Random(seed);
        var now = time.GetUtcNow();
        var firstId = (now.ToUnixTimeMilliseconds() % 1_000_000_000_000 * 100) + 6_000_000_000_000_000;
        var shoppers = DemoShopper.Pool("shopify", 8_000_000_000_000 + (now.ToUnixTimeMilliseconds() % 1_000_000_000), 1_000, random);
        var items = DemoCatalogue.Items;
        var orders = new List<LoopOrder>(warmup + measured);
        for (var i = 0; i < warmup + measured; i++)
        {
            var id = firstId + (i * 100L);
            var name = "#" + (100_000 + i).ToString(CultureInfo.InvariantCulture);
            var withCode = random.Next(5) == 0;
            List<DemoOrderLine> lines = [.. Enumerable.Range(0, random.Next(1, 4))
                .Select(_ => items[random.Next(items.Count)])
                .DistinctBy(item => item.Sku)
                .Select(item =>
                {
                    var qty = random.Next(1, 4);
                    return new DemoOrderLine(item, qty, withCode ? Money.Round(qty * item.Price * 0.10m) : 0m);
                })];
            var shopper = random.Next(6) == 0 ? null : shoppers[random.Next(shoppers.Count)];
            var body = ShopifyOrderJson.Build(id, name, lines, shopper, withCode ? "WELCOME10" : null, cod: random.Next(5) == 0, shop.Variant, now);
            orders.Add(new LoopOrder(id, name, body, lines.Sum(l => l.Qty), i < warmup));
        }

        return orders;
    }
}
