using System.Text.Json;
using Integration.Testing;

namespace Integration.Host.Tests.Flows;

/// <summary>What a host puts in service from its flows folder when it starts: refused files, duplicate flows.</summary>
public sealed class FlowFolderStartTests
{
    [Fact]
    public Task A_flow_file_broken_while_the_hosts_were_down_keeps_its_last_published_version_and_its_schedule_at_start() =>
        RestartAsync(
            [("nightly.json", Flow("nightly", "Elsa.WriteLine"))],
            async first =>
            {
                Assert.Equal("published", (await FlowAsync(first, "nightly.json")).GetProperty("status").GetString());
                Assert.Contains(await SchedulesAsync(first), s => s == "nightly/every");
            },
            // Deployed broken (an activity this host does not know); the next start must not take the flow out of service.
            [("nightly.json", Flow("nightly", "Acme.NoSuchActivity"))],
            async second =>
            {
                var flow = await FlowAsync(second, "nightly.json");
                Assert.Equal("refused (previous version in service)", flow.GetProperty("status").GetString());
                Assert.Equal(1, flow.GetProperty("version").GetInt32());
                Assert.Contains(flow.GetProperty("problems").EnumerateArray(), p => p.GetProperty("message").GetString()!.Contains("Acme.NoSuchActivity", StringComparison.Ordinal));
                Assert.Equal("nightly", (await second.GetJsonAsync("/api/flows/nightly")).GetProperty("definition").GetProperty("definitionId").GetString());
                Assert.Contains(await SchedulesAsync(second), s => s == "nightly/every");
            });

    [Fact]
    public Task A_broken_copy_of_a_flow_added_while_the_hosts_were_down_never_takes_the_flow_from_its_valid_file() =>
        RestartAsync(
            [("orders.json", Flow("orders", "Elsa.WriteLine"))],
            _ => Task.CompletedTask,
            // A half-edited copy naming the same flow, sorted before the real file, and the real file edited.
            [("orders.copy.json", Flow("orders", "Acme.NoSuchActivity")), ("orders.json", Flow("orders", "Elsa.WriteLine", "edited"))],
            async second =>
            {
                var real = await FlowAsync(second, "orders.json");
                Assert.Equal("published", real.GetProperty("status").GetString());
                Assert.Equal(2, real.GetProperty("version").GetInt32());
                var copy = await FlowAsync(second, "orders.copy.json");
                Assert.Equal("refused", copy.GetProperty("status").GetString());
                Assert.Equal(JsonValueKind.Null, copy.GetProperty("definitionId").ValueKind);
            });

    /// <summary>A host starts on a folder, stops; the files change while no host runs; a second host starts on the same database.</summary>
    private static async Task RestartAsync(
        (string Name, string Text)[] before, Func<FolderHost, Task> first, (string Name, string Text)[] meanwhile, Func<FolderHost, Task> second)
    {
        var folder = Directory.CreateTempSubdirectory("flows-").FullName;
        TestDatabase? database = null;
        async Task RunAsync((string Name, string Text)[] files, Func<FolderHost, Task> check)
        {
            foreach (var (name, text) in files)
            {
                await File.WriteAllTextAsync(Path.Combine(folder, name), text);
            }

            var host = new FolderHost(folder, database);
            await host.InitializeAsync();
            database = host.Database;
            try
            {
                await check(host);
            }
            finally
            {
                await host.DisposeAsync();
            }
        }

        try
        {
            await RunAsync(before, first);
            await RunAsync(meanwhile, second);
        }
        finally
        {
            if (database is not null)
            {
                await database.DisposeAsync();
            }

            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_second_file_with_the_definition_id_of_another_is_refused_and_names_the_first()
    {
        var folder = Directory.CreateTempSubdirectory("flows-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "a-orders.json"), Flow("orders", "Elsa.WriteLine"));
        await File.WriteAllTextAsync(Path.Combine(folder, "b-orders-copy.json"), Flow("orders", "Elsa.WriteLine", "copy"));
        var host = new FolderHost(folder, null);
        await host.InitializeAsync();
        try
        {
            Assert.Equal("published", (await FlowAsync(host, "a-orders.json")).GetProperty("status").GetString());
            var copy = await FlowAsync(host, "b-orders-copy.json");
            Assert.Equal("refused", copy.GetProperty("status").GetString());
            var problem = copy.GetProperty("problems").EnumerateArray().Single();
            Assert.Equal("$.definitionId", problem.GetProperty("jsonPath").GetString());
            Assert.Contains("a-orders.json", problem.GetProperty("message").GetString(), StringComparison.Ordinal);
            // Only the first file's flow was ever published: one version, the copy's text never went in.
            Assert.Equal(1, await host.CountAsync("SELECT count(*) FROM flows.definition WHERE definition_id = 'orders'"));
            Assert.Equal(1, (await host.GetJsonAsync("/api/flows/orders")).GetProperty("version").GetInt32());
        }
        finally
        {
            await host.DisposeAsync();
            await host.Database.DisposeAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<JsonElement> FlowAsync(TestHost host, string fileName) =>
        (await host.GetJsonAsync("/api/flows")).EnumerateArray().Single(f => Path.GetFileName(f.GetProperty("file").GetString()) == fileName);

    private static async Task<List<string>> SchedulesAsync(TestHost host)
    {
        // The host registers the flows' schedules with Quartz just after it starts.
        for (var i = 0; i < 100; i++)
        {
            var names = (await host.GetJsonAsync("/api/schedules")).EnumerateArray()
                .Select(s => s.GetProperty("definitionId").GetString() + "/" + s.GetProperty("activityId").GetString()).ToList();
            if (names.Count > 0)
            {
                return names;
            }

            await Task.Delay(100);
        }

        return [];
    }

    private static string Flow(string definitionId, string activityType, string text = "nightly") => $$"""
        { "definitionId": "{{definitionId}}", "version": 1, "name": "{{definitionId}}",
          "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1,
            "activities": [
              { "id": "every", "type": "Elsa.Timer", "version": 1, "interval": "01:00:00", "customProperties": { "canStartWorkflow": true } },
              { "id": "say", "type": "{{activityType}}", "version": 1, "text": { "typeName": "String", "expression": { "type": "Literal", "value": "{{text}}" } } }
            ],
            "connections": [ { "source": { "activity": "every", "port": "Done" }, "target": { "activity": "say", "port": "In" } } ] } }
        """;

    /// <summary>A host over a flows folder of its own (not watched), with schedules on; the second of a test shares the first's database.</summary>
    private sealed class FolderHost(string folder, TestDatabase? shared) : HostFixture
    {
        protected override Task<TestDatabase> CreateDatabaseAsync() => shared is null ? base.CreateDatabaseAsync() : Task.FromResult(shared);

        protected override bool OwnsDatabase => false;

        protected override IEnumerable<KeyValuePair<string, string?>> Settings(TestDatabase database) =>
            [.. base.Settings(database), new("Flows:Directory", folder), new("Flows:Watch", "false"), new("Flows:Schedules", "true")];
    }
}
