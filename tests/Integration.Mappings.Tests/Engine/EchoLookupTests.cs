using System.Text.Json.Nodes;
using Integration.Mappings.Definitions;
using Integration.Mappings.Echoes;
using Integration.Mappings.Engine;

namespace Integration.Mappings.Tests.Engine;

/// <summary>Echo fingerprints are looked up only where a mapped write can have left them.</summary>
public sealed class EchoLookupTests
{
    private const string OrderMapping = "shopify-order__erp-sales-order";

    private static MappingContext Context => new()
    {
        Store = "jsmith.myshopify.com",
        Values = new Dictionary<string, JsonNode?>
        {
            ["company"] = "EG01", ["warehouse"] = "Cairo", ["shippingIncomeAccount"] = "4150", ["guestCustomer"] = "WALK-IN",
        },
    };

    [Fact]
    public void The_shipped_mappings_write_to_store_customers_but_never_to_store_orders()
    {
        var kit = MappingTestKit.Shipped();
        var order = kit.Catalog.Get(OrderMapping);
        var customer = kit.Catalog.Get("shopify-customer__erp-customer");

        Assert.False(order.MayWriteTo(order.Left)); // the store masters every field of its orders
        Assert.True(order.MayWriteTo(order.Right));
        Assert.False(kit.Catalog.MayBeWritten(order.Left));
        Assert.True(customer.MayWriteTo(customer.Left)); // credit limit, customer group and tax id go to the store
        Assert.True(kit.Catalog.MayBeWritten(customer.Left));
        Assert.True(kit.Catalog.MayBeWritten(kit.Catalog.Get("erp-stock__shopify-inventory").Right));
    }

    [Fact]
    public async Task A_store_order_is_mapped_without_an_echo_look_up_until_a_mapping_writes_to_store_orders()
    {
        var kit = MappingTestKit.Shipped();
        var guard = new CountingEchoGuard(kit.EchoGuard);
        var mapper = new Mapper(kit.Catalog, kit.KeyMap, guard, kit.Time);
        var order = MappingTestKit.Fixture("shopify/orders-create.shopify-docs-2026-04.json");

        var before = await mapper.ApplyAsync(OrderMapping, MappingDirection.LeftToRight, order, null, Context);
        Assert.NotEmpty(before.Written);
        Assert.Empty(guard.LookedUp);

        // A mapping that writes a note to store orders: our notes may come back, so orders are looked up again.
        kit.Catalog.Add(MappingTestKit.Load("""
            {
              "id": "erp-order-note__shopify-order",
              "left": { "system": "erp", "entity": "salesOrder", "id": "id" },
              "right": { "system": "shopify", "entity": "order", "id": "id" },
              "fields": [ { "name": "note", "left": "remarks", "right": "note", "master": "erp" } ]
            }
            """));
        await mapper.ApplyAsync(OrderMapping, MappingDirection.LeftToRight, order, null, Context);
        Assert.Equal([("shopify", "order")], guard.LookedUp);
    }

    private sealed class CountingEchoGuard(IEchoGuard inner) : IEchoGuard
    {
        public List<(string System, string Entity)> LookedUp { get; } = [];

        public ValueTask<EchoSet> RecentAsync(string system, string entity, string recordId, CancellationToken cancellationToken = default)
        {
            LookedUp.Add((system, entity));
            return inner.RecentAsync(system, entity, recordId, cancellationToken);
        }

        public ValueTask RecordAsync(IReadOnlyList<EchoFingerprint> fingerprints, CancellationToken cancellationToken = default) =>
            inner.RecordAsync(fingerprints, cancellationToken);

        public ValueTask ConsumeAsync(IReadOnlyList<EchoFingerprint> fingerprints, CancellationToken cancellationToken = default) =>
            inner.ConsumeAsync(fingerprints, cancellationToken);
    }
}
