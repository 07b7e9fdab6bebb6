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
            await Task.Delay(TimeSpan.FromSeconds(5));
            Assert.Equal(2, await CountAsync(database, "SELECT count(*) FROM qrtz_scheduler_state"));
        }

        var runs = await CountAsync(database, "SELECT count(*) FROM flows.instance WHERE definition_id = 'every-second' AND status = 'Finished'");
        var occurrences = await CountAsync(database, "SELECT count(DISTINCT output->>'firedFor') FROM flows.instance WHERE definition_id = 'every-second'");
        Assert.InRange(runs, 3, 7);
        Assert.Equal(occurrences, runs);
        Assert.Equal(1, await CountAsync(database, "SELECT count(*) FROM qrtz_job_details WHERE job_group = 'flows'"));
    }

    private static async Task<long> CountAsync(TestDatabase database, string sql)
    {
        await using var connection = await database.OpenAsync();
        return await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, sql);
    }
}
