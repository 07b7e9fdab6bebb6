using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Integration.Testing;

namespace Integration.Host.Tests.Flows;

public sealed class SchedulePauseTests
{
    private const string Flow = """
        {
          "definitionId": "every-second", "version": 1,
          "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1,
            "activities": [
              { "id": "tick", "type": "Elsa.Cron", "version": 1, "cronExpression": "CRON", "customProperties": { "canStartWorkflow": true } }
            ],
            "connections": [] } }
        """;

    [Fact]
    public async Task A_paused_schedule_stops_firing_across_an_edit_of_its_flow_still_runs_by_hand_and_fires_again_once_resumed()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("pause");
        var flows = Directory.CreateTempSubdirectory("flows-pause-").FullName;
        var file = Path.Combine(flows, "every-second.json");
        await File.WriteAllTextAsync(file, Flow.Replace("CRON", "* * * * * ?", StringComparison.Ordinal));
        await using var host = FlowHost.Create(database, flows, schedules: true);
        using var api = host.CreateClient();

        await UntilAsync(async () => await RunsAsync(database) >= 1, "the schedule fires");
        Assert.Equal(HttpStatusCode.NoContent, (await api.PostAsync("/api/schedules/every-second/tick/pause", null)).StatusCode);
        var listed = await ScheduleAsync(api);
        Assert.True(listed.GetProperty("paused").GetBoolean());
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("next").ValueKind);

        // A firing already under way when the pause came may still finish; none starts after it.
        await Task.Delay(1500);
        var whilePaused = await RunsAsync(database);
        await Task.Delay(3000);
        Assert.Equal(whilePaused, await RunsAsync(database));

        // The flow edited meanwhile: the new schedule stays paused.
        await File.WriteAllTextAsync(file, Flow.Replace("CRON", "*/2 * * * * ?", StringComparison.Ordinal));
        await UntilAsync(async () => (await ScheduleAsync(api)).GetProperty("schedule").GetString() == "Cron:*/2 * * * * ?", "the edited schedule is in service");
        Assert.True((await ScheduleAsync(api)).GetProperty("paused").GetBoolean());

        // By hand it still runs, once.
        Assert.Equal(HttpStatusCode.Accepted, (await api.PostAsync("/api/schedules/every-second/tick/run", null)).StatusCode);
        await UntilAsync(async () => await RunsAsync(database) == whilePaused + 1, "the run by hand");
        await Task.Delay(2500);
        Assert.Equal(whilePaused + 1, await RunsAsync(database));

        Assert.Equal(HttpStatusCode.NoContent, (await api.PostAsync("/api/schedules/every-second/tick/resume", null)).StatusCode);
        Assert.False((await ScheduleAsync(api)).GetProperty("paused").GetBoolean());
        await UntilAsync(async () => await RunsAsync(database) >= whilePaused + 3, "the resumed schedule fires");

        var unknown = await api.PostAsync("/api/schedules/every-second/nope/pause", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("No schedule nope", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<JsonElement> ScheduleAsync(HttpClient api) =>
        (await api.GetFromJsonAsync<JsonElement>("/api/schedules")).EnumerateArray().Single(s => s.GetProperty("definitionId").GetString() == "every-second");

    private static async Task<long> RunsAsync(TestDatabase database)
    {
        await using var connection = await database.OpenAsync();
        return await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "SELECT count(*) FROM flows.instance WHERE definition_id = 'every-second'");
    }

    // Waited for, not timed: the machine may be loaded.
    private static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        for (var i = 0; i < 600; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"{what}: not within a minute");
    }
}
