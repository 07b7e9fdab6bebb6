using Integration.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Integration.Host.Tests.Flows;

public sealed class ClusteredScheduleTests
{
    [Fact]
    public async Task A_cron_flow_fires_once_per_occurrence_across_two_hosts_sharing_one_database()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("cluster");
        var flows = Directory.CreateTempSubdirectory("flows-cron-").FullName;
        await File.WriteAllTextAsync(Path.Combine(flows, "every-second.json"), """
            {
              "definitionId": "every-second", "version": 1,
              "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "tick", "type": "Elsa.Cron", "version": 1, "cronExpression": "* * * * * ?", "customProperties": { "canStartWorkflow": true } },
                  { "id": "note", "type": "Elsa.SetOutput", "version": 1, "outputName": "firedFor",
                    "outputValue": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "getOutputFrom('tick')" } } }
                ],
                "connections": [ { "source": { "activity": "tick", "port": "Done" }, "target": { "activity": "note", "port": "In" } } ] } }
            """);

        WebApplicationFactory<Program> Host() => FlowHost.Create(database, flows, schedules: true);

        await using (var first = Host())
        await using (var second = Host())
        {
            using var a = first.CreateClient();
            using var b = second.CreateClient();
            // Both hosts in the cluster and a few firings done (waited for, not timed: the machine may be loaded).
            for (var i = 0; i < 1200 && (await CountOrZeroAsync(database, "SELECT count(*) FROM qrtz_scheduler_state") < 2
                || await CountOrZeroAsync(database, "SELECT count(*) FROM flows.instance WHERE definition_id = 'every-second' AND status = 'Finished'") < 3); i++)
            {
                await Task.Delay(100);
            }

            Assert.Equal(2, await CountAsync(database, "SELECT count(*) FROM qrtz_scheduler_state"));
        }

        var runs = await CountAsync(database, "SELECT count(*) FROM flows.instance WHERE definition_id = 'every-second' AND status = 'Finished'");
        var occurrences = await CountAsync(database, "SELECT count(DISTINCT output->>'firedFor') FROM flows.instance WHERE definition_id = 'every-second'");
        Assert.True(runs >= 3, $"{runs} runs");
        Assert.Equal(occurrences, runs);
        Assert.Equal(1, await CountAsync(database, "SELECT count(*) FROM qrtz_job_details WHERE job_group = 'flows'"));
    }

    [Fact]
    public async Task The_schedules_of_one_flow_take_turns_across_two_hosts()
    {
        // Two schedules of one flow fire every second, and each run calls a store that takes 700 ms to answer: the
        // calls must never overlap (a nightly full upload and the every-minute push must not cross).
        await using var database = await TestPostgres.CreateDatabaseAsync("turns");
        using var store = WireMock.Server.WireMockServer.Start();
        store.Given(WireMock.RequestBuilders.Request.Create().WithPath("/slow").UsingPost())
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(200).WithDelay(TimeSpan.FromMilliseconds(700)));
        var flows = Directory.CreateTempSubdirectory("flows-turns-").FullName;
        await File.WriteAllTextAsync(Path.Combine(flows, "two-schedules.json"), $$"""
            {
              "definitionId": "two-schedules", "version": 1,
              "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "often", "type": "Elsa.Cron", "version": 1, "cronExpression": "* * * * * ?", "customProperties": { "canStartWorkflow": true } },
                  { "id": "also", "type": "Elsa.Cron", "version": 1, "cronExpression": "* * * * * ?", "customProperties": { "canStartWorkflow": true } },
                  { "id": "call", "type": "Elsa.FlowSendHttpRequest", "version": 1, "method": "POST", "url": "{{store.Url}}/slow", "expectedStatusCodes": [200] }
                ],
                "connections": [
                  { "source": { "activity": "often", "port": "Done" }, "target": { "activity": "call", "port": "In" } },
                  { "source": { "activity": "also", "port": "Done" }, "target": { "activity": "call", "port": "In" } } ] } }
            """);

        await using (var first = FlowHost.Create(database, flows, schedules: true))
        await using (var second = FlowHost.Create(database, flows, schedules: true))
        {
            using var a = first.CreateClient();
            using var b = second.CreateClient();
            for (var i = 0; i < 600 && (await CountOrZeroAsync(database, "SELECT count(DISTINCT split_part(trigger, '@', 1)) FROM flows.instance WHERE definition_id = 'two-schedules' AND status = 'Finished'") < 2
                || store.LogEntries.Count < 5); i++)
            {
                await Task.Delay(100);
            }
        }

        var calls = store.LogEntries.Select(e => e.RequestMessage.DateTime).Order().ToList();
        Assert.True(calls.Count >= 5, $"{calls.Count} calls");
        var gaps = calls.Zip(calls.Skip(1), (x, y) => (y - x).TotalMilliseconds).ToList();
        Assert.True(gaps.All(g => g >= 650), "calls overlapped; gaps in ms: " + string.Join(", ", gaps.Select(g => g.ToString("0", System.Globalization.CultureInfo.InvariantCulture))));
    }

    // While the hosts start, their tables may not exist yet.
    private static async Task<long> CountOrZeroAsync(TestDatabase database, string sql)
    {
        try
        {
            return await CountAsync(database, sql);
        }
        catch (Npgsql.PostgresException ex) when (ex.SqlState == Npgsql.PostgresErrorCodes.UndefinedTable)
        {
            return 0;
        }
    }

    private static async Task<long> CountAsync(TestDatabase database, string sql)
    {
        await using var connection = await database.OpenAsync();
        return await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, sql);
    }
}
