using Dapper;
using Integration.Host.Retention;
using Integration.Host.Tests.Flows;
using Integration.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Host.Tests.Inbox;

/// <summary>
/// A run keeps a reference to its delivery, not a copy: retention keeps the delivery of a run that has not ended or
/// still has an open incident, so its retry weeks later still reads the order it was started for.
/// </summary>
public sealed class InboxRetentionOfOpenRunsTests
{
    [Fact]
    public async Task The_delivery_of_a_run_with_an_open_incident_or_not_ended_outlives_retention_and_goes_once_the_run_is_done()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("inboxopenruns");
        await using var host = FlowHost.Create(database, Directory.CreateTempSubdirectory("flows-none-").FullName, builder =>
        {
            builder.UseSetting("Messages:Retention:InboxDays", "10");
            builder.UseSetting("Flows:DispatchInbox", "false");
            builder.UseSetting("Flows:ResumeBookmarks", "false");
        });
        using var client = host.CreateClient();
        await using var connection = await database.OpenAsync();
        // Six old handled deliveries, each started one run: what became of the run decides whether its delivery stays.
        await connection.ExecuteAsync("""
            INSERT INTO flows.definition (definition_id, version, json, content_hash) VALUES ('order-flow', 1, '{}', 'x');
            INSERT INTO integration.inbox (source, store, topic, delivery_key, received_at, headers, body, status)
            SELECT 'shopify', 's.myshopify.com', 'orders/create', k, now() - interval '40 days', '{}', '\x7b7d', 'done'
            FROM unnest(ARRAY['faulted', 'finished-open', 'finished-retried', 'finished', 'suspended', 'cancelled']) AS k;
            INSERT INTO flows.instance (id, definition_id, version, status, trigger)
            SELECT gen_random_uuid(), 'order-flow', 1,
                   CASE delivery_key WHEN 'faulted' THEN 'Faulted' WHEN 'suspended' THEN 'Suspended' WHEN 'cancelled' THEN 'Cancelled' ELSE 'Finished' END,
                   'inbox:' || id
            FROM integration.inbox;
            INSERT INTO flows.incident (instance_id, activity_id, activity_type, message, status)
            SELECT i.id, 'invoice', 'Erp.CreateSalesInvoice', 'period closed', CASE m.delivery_key WHEN 'finished-retried' THEN 'Retried' ELSE 'Open' END
            FROM flows.instance i JOIN integration.inbox m ON i.trigger = 'inbox:' || m.id
            WHERE m.delivery_key IN ('faulted', 'finished-open', 'finished-retried');
            """);
        var retention = host.Services.GetRequiredService<MessageRetention>();

        Assert.Equal((3, 0), await retention.PurgeAsync(CancellationToken.None));
        Assert.Equal(["faulted", "finished-open", "suspended"],
            await connection.QueryAsync<string>("SELECT delivery_key FROM integration.inbox ORDER BY delivery_key"));

        // The incidents are dealt with and the suspended run ends: their deliveries go at the next round.
        await connection.ExecuteAsync("""
            UPDATE flows.incident SET status = 'Retried';
            UPDATE flows.instance SET status = 'Finished';
            """);
        Assert.Equal((3, 0), await retention.PurgeAsync(CancellationToken.None));
        Assert.Empty(await connection.QueryAsync<string>("SELECT delivery_key FROM integration.inbox"));
    }
}
