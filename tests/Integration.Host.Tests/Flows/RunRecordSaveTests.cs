using Dapper;
using Integration.Workflows.Execution;
using Integration.Workflows.Persistence;

namespace Integration.Host.Tests.Flows;

/// <summary>A run's record and its large journal values are saved together, or not at all.</summary>
public sealed class RunRecordSaveTests(HostFixture host) : IClassFixture<HostFixture>
{
    [Fact]
    public async Task A_save_refused_for_a_lease_held_by_another_host_stores_none_of_its_large_values()
    {
        var id = Guid.NewGuid().ToString("N");
        await using var connection = await host.OpenAsync();

        // A run of any flow the host loaded.
        var flow = await connection.QueryFirstAsync<(string Id, int Version)>("SELECT definition_id, version FROM flows.definition ORDER BY definition_id, version");

        var first = await SaveAsync(connection, flow, Run(id, 'a', before: 0), owner: "host-a");
        var second = await SaveAsync(connection, flow, Run(id, 'b', before: 1), owner: "host-b");

        Assert.True(first);
        Assert.False(second); // host-a holds the run's lease
        var stored = Assert.Single(await connection.QueryAsync<(string Key, string Json)>(
            "SELECT key, json::text FROM flows.run_payload WHERE instance_id = @id", new { id = Guid.Parse(id) }));
        Assert.Equal("0:out:answer", stored.Key);
        Assert.Contains(new string('a', 100), stored.Json, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('b', 100), stored.Json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_whose_console_and_incident_hold_a_nul_is_stored_with_the_replacement_character()
    {
        var id = Guid.NewGuid().ToString("N");
        await using var connection = await host.OpenAsync();
        var flow = await connection.QueryFirstAsync<(string Id, int Version)>("SELECT definition_id, version FROM flows.definition ORDER BY definition_id, version");
        // A customer's note with a NUL in it (JSON allows it escaped; PostgreSQL's jsonb does not), and a literal
        // backslash-u text that must stay as written.
        var state = new FlowRunState { InstanceId = id, Status = FlowRunStatus.Faulted };
        state.Console.Add("Note: gift\u0000wrap, as typed: \\u0000");
        state.Incidents.Add(new Incident("map", "Mappings.Apply", "failed", "InvalidOperationException", 1,
            new Dictionary<string, object?> { ["note"] = "gift\u0000wrap" }));

        Assert.True(await SaveAsync(connection, flow, state, owner: "host-a"));

        var console = await connection.QuerySingleAsync<string>("SELECT console->>0 FROM flows.instance WHERE id = @id", new { id = Guid.Parse(id) });
        Assert.Equal("Note: gift\uFFFDwrap, as typed: \\u0000", console);
        Assert.Equal("gift\uFFFDwrap", await connection.QuerySingleAsync<string>(
            "SELECT input->>'note' FROM flows.incident WHERE instance_id = @id", new { id = Guid.Parse(id) }));
    }

    /// <summary>A run in flight whose journal holds <paramref name="before"/> small entries, then one too large to keep inline.</summary>
    private static FlowRunState Run(string id, char fill, int before)
    {
        var state = new FlowRunState { InstanceId = id, Status = FlowRunStatus.Running };
        for (var i = 0; i < before; i++)
        {
            state.Journal.Add(new JournalEntry("start", "Elsa.Start", null, ["Done"], 1));
        }

        state.Journal.Add(new JournalEntry("call", "Elsa.FlowSendHttpRequest", null, ["Done"], 1,
            Outputs: new Dictionary<string, object?> { ["answer"] = new string(fill, FlowInstanceStore.InlineValueBytes + 100) }));
        return state;
    }

    private static async Task<bool> SaveAsync(Npgsql.NpgsqlConnection connection, (string Id, int Version) flow, FlowRunState state, string owner)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        var saved = await FlowInstanceStore.SaveAsync(connection, transaction, flow.Id, flow.Version, "test", state, owner, TimeSpan.FromMinutes(5));
        await transaction.CommitAsync();
        return saved;
    }
}
