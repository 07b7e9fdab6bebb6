using Dapper;
using Integration.Host.Retention;
using Integration.Host.Tests.Flows;
using Integration.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Integration.Host.Tests.Inbox;

public sealed class MessageRetentionTests
{
    [Fact]
    public async Task Old_handled_deliveries_and_dispatched_events_are_deleted_but_work_to_do_and_failures_are_kept()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("msgretention");
        await using var host = FlowHost.Create(database, Directory.CreateTempSubdirectory("flows-none-").FullName, builder =>
        {
            builder.UseSetting("Messages:Retention:InboxDays", "10");
            builder.UseSetting("Messages:Retention:OutboxDays", "5");
            // No dispatcher may turn the rows still to do into handled ones while the test looks.
            builder.UseSetting("Flows:DispatchInbox", "false");
            builder.UseSetting("Flows:DispatchOutbox", "false");
        });
        using var client = host.CreateClient();
        await using (var connection = await database.OpenAsync())
        {
            // Deliveries keyed by what should become of them: "gone-*" are past retention and handled, "kept-*" are not.
            await connection.ExecuteAsync("""
                INSERT INTO integration.inbox (source, store, topic, delivery_key, received_at, headers, body, status)
                SELECT 'shopify', 's.myshopify.com', 'orders/create', k, now() - make_interval(days => d), '{}', '\x7b7d', st
                FROM (VALUES ('gone-done', 11, 'done'), ('gone-ignored', 40, 'ignored'), ('kept-recent', 9, 'done'),
                             ('kept-failed', 40, 'failed'), ('kept-poisoned', 40, 'poisoned'), ('kept-received', 40, 'received'),
                             ('kept-processing', 40, 'processing')) AS t(k, d, st);
                INSERT INTO integration.outbox (topic, company, entity_key, payload, created_at, status)
                SELECT 'erp.stock.changed', 'EG01', k, '{}', now() - make_interval(days => d), st
                FROM (VALUES ('gone-done', 6, 'done'), ('kept-recent', 4, 'done'), ('kept-pending', 30, 'pending'),
                             ('kept-failed', 30, 'failed')) AS t(k, d, st);
                """);
        }

        var purged = await host.Services.GetRequiredService<MessageRetention>().PurgeAsync(CancellationToken.None);

        Assert.Equal((2, 1), purged);
        await using var check = await database.OpenAsync();
        Assert.Equal(["kept-failed", "kept-poisoned", "kept-processing", "kept-received", "kept-recent"],
            await check.QueryAsync<string>("SELECT delivery_key FROM integration.inbox ORDER BY delivery_key"));
        Assert.Equal(["kept-failed", "kept-pending", "kept-recent"],
            await check.QueryAsync<string>("SELECT entity_key FROM integration.outbox ORDER BY entity_key"));
        Assert.Equal((0, 0), await host.Services.GetRequiredService<MessageRetention>().PurgeAsync(CancellationToken.None));
    }

    [Fact]
    public void A_retention_shorter_than_a_stores_retries_is_refused_at_start()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Messages:Retention:InboxDays"] = "1" }).Build();
        using var services = new ServiceCollection().AddLogging().AddSingleton(TimeProvider.System).AddMessageRetention(configuration).BuildServiceProvider();

        var refused = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<MessageRetentionOptions>>().Value);

        Assert.Contains("InboxDays", refused.Message, StringComparison.Ordinal);
    }
}
