using Dapper;
using Integration.Host.Inbox;
using Integration.Host.Tests.Flows;
using Integration.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Host.Tests.Inbox;

/// <summary>
/// The orders a store sent that the host has not carried through (what a stock push holds off sale): a delivery still
/// waiting or that failed to dispatch, a run not ended, a run with an open incident; each by its newest delivery.
/// </summary>
public sealed class UnfinishedDeliveriesTests
{
    [Fact]
    public async Task Orders_waiting_failed_running_or_at_an_incident_are_unfinished_each_by_its_newest_delivery()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("inboxunfinished");
        await using var host = FlowHost.Create(database, Directory.CreateTempSubdirectory("flows-none-").FullName, builder =>
        {
            builder.UseSetting("Flows:DispatchInbox", "false");
            builder.UseSetting("Flows:ResumeBookmarks", "false");
        });
        using var client = host.CreateClient();
        await using var connection = await database.OpenAsync();
        // One delivery per order (order:N, body {"id":N,"v":1}), in the state its key names; order 9 belongs to another store,
        // order 10 is a product, order 11 a delivery whose body is not JSON.
        await connection.ExecuteAsync("""
            INSERT INTO flows.definition (definition_id, version, json, content_hash) VALUES ('order-flow', 1, '{}', 'x');
            INSERT INTO integration.inbox (source, store, topic, delivery_key, headers, body, status, subject, subject_version)
            SELECT 'shopify', CASE WHEN n = 9 THEN 'other.myshopify.com' ELSE 's.myshopify.com' END,
                   CASE WHEN n = 10 THEN 'products/update' ELSE 'orders/create' END, k, '{}',
                   convert_to(CASE WHEN n = 11 THEN 'not json' ELSE json_build_object('id', n, 'v', 1)::text END, 'UTF8'), st,
                   CASE WHEN n = 10 THEN 'product:' ELSE 'order:' END || n, '2026-12-01T10:00:00Z'
            FROM (VALUES (1, 'received', 'received'), (2, 'failed', 'failed'), (3, 'done-faulted', 'done'), (4, 'done-open-incident', 'done'),
                         (5, 'done-running', 'done'), (6, 'done-finished', 'done'), (7, 'done-retried', 'done'), (8, 'ignored', 'ignored'),
                         (9, 'received-elsewhere', 'received'), (10, 'received-product', 'received'), (11, 'poisoned', 'poisoned')) AS t(n, k, st);
            INSERT INTO flows.instance (id, definition_id, version, status, trigger)
            SELECT gen_random_uuid(), 'order-flow', 1,
                   CASE delivery_key WHEN 'done-faulted' THEN 'Faulted' WHEN 'done-running' THEN 'Running' ELSE 'Finished' END, 'inbox:' || id
            FROM integration.inbox WHERE delivery_key LIKE 'done-%';
            INSERT INTO flows.incident (instance_id, activity_id, activity_type, message, status)
            SELECT i.id, 'invoice', 'Erp.CreateSalesInvoice', 'item on hold', CASE m.delivery_key WHEN 'done-retried' THEN 'Retried' ELSE 'Open' END
            FROM flows.instance i JOIN integration.inbox m ON i.trigger = 'inbox:' || m.id
            WHERE m.delivery_key IN ('done-open-incident', 'done-retried');
            -- A later version of order 1 (handled): the order is still unfinished, and read as its newest version.
            INSERT INTO integration.inbox (source, store, topic, delivery_key, headers, body, status, subject, subject_version)
            VALUES ('shopify', 's.myshopify.com', 'orders/updated', 'newer', '{}', convert_to('{"id":1,"v":2}', 'UTF8'), 'done', 'order:1', '2026-12-01T11:00:00Z');
            """);
        var deliveries = host.Services.GetRequiredService<UnfinishedDeliveries>();

        var unfinished = (await deliveries.NewestAsync("shopify", ["s.myshopify.com"], "order", 100, CancellationToken.None)).Select(d => d.Document).ToList();

        // Delivered last first (the likeliest not booked yet); the limit keeps those. The poisoned order 11 has nothing to read.
        Assert.Equal(["1:2", "5:1", "4:1", "3:1", "2:1"], unfinished.Select(d => $"{(int)d["id"]!}:{(int)d["v"]!}"));
        Assert.Equal([1, 5], (await deliveries.NewestAsync("shopify", ["s.myshopify.com"], "order", 2, CancellationToken.None)).Select(d => (int)d.Document["id"]!));
        Assert.Equal([9], (await deliveries.NewestAsync("shopify", ["other.myshopify.com"], "order", 100, CancellationToken.None)).Select(d => (int)d.Document["id"]!));
        // The store as configured may differ in case from how the store named itself on delivery; several stores in one read.
        Assert.Equal(5, (await deliveries.NewestAsync("shopify", ["S.MyShopify.com"], "order", 100, CancellationToken.None)).Count);
        Assert.Equal(["s.myshopify.com:1", "other.myshopify.com:9", "s.myshopify.com:5"],
            (await deliveries.NewestAsync("shopify", ["s.myshopify.com", "Other.myshopify.com"], "order", 3, CancellationToken.None)).Select(d => $"{d.Store}:{(int)d.Document["id"]!}"));
    }
}
