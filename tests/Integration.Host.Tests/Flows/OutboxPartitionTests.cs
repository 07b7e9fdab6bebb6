using System.Text.Json;
using Integration.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Integration.Host.Tests.Flows;

public sealed class OutboxPartitionTests
{
    [Fact]
    public async Task Two_hosts_feed_erp_changes_side_by_side_and_the_changes_of_a_record_or_of_records_sharing_an_ordering_key_in_order()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("outbox-parts");
        using var store = WireMockServer.Start();
        store.Given(Request.Create().WithPath("/seen").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithDelay(TimeSpan.FromMilliseconds(100)));
        var flows = Directory.CreateTempSubdirectory("flows-outbox-").FullName;
        await File.WriteAllTextAsync(Path.Combine(flows, "tell-store.json"), $$"""
            {
              "definitionId": "tell-store", "version": 1,
              "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "event", "type": "Elsa.Event", "version": 1, "eventName": "test.changed", "customProperties": { "canStartWorkflow": true } },
                  { "id": "call", "type": "Elsa.FlowSendHttpRequest", "version": 1, "method": "POST", "url": "{{store.Url}}/seen", "expectedStatusCodes": [200],
                    "content": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "({ key: getInput('entityKey'), seq: getInput('payload').seq })" } } }
                ],
                "connections": [ { "source": { "activity": "event", "port": "Done" }, "target": { "activity": "call", "port": "In" } } ] } }
            """);

        const int records = 12, changes = 6;
        await using (var first = FlowHost.Create(database, flows))
        await using (var second = FlowHost.Create(database, flows))
        {
            using var a = first.CreateClient();
            using var b = second.CreateClient();
            await using (var connection = await database.OpenAsync())
            {
                // The records fall in several partitions (else this would show nothing about working them side by side).
                Assert.True(await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, """
                    SELECT count(DISTINCT mod(hashtext('SKU-' || r) & 2147483647, 16)) FROM generate_series(1, @records) r
                    """, new { records }) >= 4);
                // The two variants of each product below would fall in different partitions by their own keys.
                Assert.Equal(2, await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, """
                    SELECT count(*) FROM (SELECT r % 2 FROM generate_series(@records - 3, @records) r
                    GROUP BY r % 2 HAVING count(DISTINCT mod(hashtext('SKU-' || r) & 2147483647, 16)) = 2) products
                    """, new { records }));
                // One change of each record, then the next of each: interleaved as an ERP's bulk updates would be. The
                // last four records are two products of two variants each (a product's variants share its ordering key).
                await Dapper.SqlMapper.ExecuteAsync(connection, """
                    INSERT INTO integration.outbox (topic, company, entity_key, payload, ordering_key)
                    SELECT 'test.changed', 'EG01', 'SKU-' || r, jsonb_build_object('seq', c), CASE WHEN r > @records - 4 THEN 'PRODUCT-' || (r % 2) END
                    FROM generate_series(1, @changes) c CROSS JOIN generate_series(1, @records) r ORDER BY c, r
                    """, new { records, changes });
            }

            for (var i = 0; i < 600 && await CountAsync(database, "SELECT count(*) FROM integration.outbox WHERE status = 'done'") < records * changes; i++)
            {
                await Task.Delay(100);
            }
        }

        Assert.Equal(records * changes, await CountAsync(database, "SELECT count(*) FROM integration.outbox WHERE status = 'done'"));
        var calls = store.LogEntries
            .Select(e => (At: e.RequestMessage.DateTime, Body: JsonDocument.Parse(e.RequestMessage.Body!).RootElement))
            .Select(c => (c.At, Key: c.Body.GetProperty("key").GetString()!, Seq: c.Body.GetProperty("seq").GetInt32()))
            .OrderBy(c => c.At).ToList();

        // Each change told once, and each record's changes in order.
        Assert.Equal(records * changes, calls.Count);
        Assert.Equal(records * changes, calls.Select(c => (c.Key, c.Seq)).Distinct().Count());
        foreach (var record in calls.GroupBy(c => c.Key))
        {
            Assert.Equal(Enumerable.Range(1, changes), record.Select(c => c.Seq));
        }

        // A product's variants' changes in the order written, across the variants too.
        static int Record(string key) => int.Parse(key[4..], System.Globalization.CultureInfo.InvariantCulture);
        foreach (var product in calls.Where(c => Record(c.Key) > records - 4).GroupBy(c => Record(c.Key) % 2))
        {
            var told = product.Select(c => (c.Seq, Record: Record(c.Key))).ToList();
            Assert.Equal(told.Order(), told);
        }

        // Side by side: the store was asked again before it had answered (each answer takes 100 ms).
        Assert.Contains(calls.Zip(calls.Skip(1)), pair => (pair.Second.At - pair.First.At).TotalMilliseconds < 50);
    }

    private static async Task<long> CountAsync(TestDatabase database, string sql)
    {
        await using var connection = await database.OpenAsync();
        return await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, sql);
    }
}
