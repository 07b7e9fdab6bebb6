using System.Net;
using System.Net.Http.Json;
using Integration.Testing;
using Integration.Testing.Webhooks;
using Integration.Workflows.Activities;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Host.Tests.Flows;

public sealed class IncidentRetryTests
{
    [Fact]
    public async Task A_faulted_run_is_retried_from_its_failed_activity_through_the_api_and_finishes()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("incidentretry");
        await using var factory = await FragileHostAsync(database, failures: 1);
        using var client = factory.CreateClient();
        await DeliverOrderAsync(client);
        var incidentId = await OpenIncidentAsync(database) ?? 0;

        var retried = await client.PostAsync($"/api/incidents/{incidentId}/retry", null);
        var again = await client.PostAsync($"/api/incidents/{incidentId}/retry", null);

        Assert.NotEqual(0, incidentId);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Contains("Finished", await retried.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        await using var check = await database.OpenAsync();
        Assert.Equal("#9999", await Dapper.SqlMapper.ExecuteScalarAsync<string>(check, "SELECT output->>'order' FROM flows.instance WHERE definition_id = 'fragile' AND status = 'Finished'"));
    }

    [Fact]
    public async Task An_incident_of_a_run_another_host_holds_in_flight_is_not_retried_under_it()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("incidentretrylease");
        await using var factory = await FragileHostAsync(database, failures: 1);
        using var client = factory.CreateClient();
        await DeliverOrderAsync(client);
        var incidentId = await OpenIncidentAsync(database) ?? 0;
        await using (var connection = await database.OpenAsync())
        {
            await Dapper.SqlMapper.ExecuteAsync(connection,
                "UPDATE flows.instance SET lease_owner = 'other-host/1/abc', lease_expires_at = now() + interval '1 hour' WHERE definition_id = 'fragile'");
        }

        var refused = await client.PostAsync($"/api/incidents/{incidentId}/retry", null);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("is running on other-host/1/abc", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var check = await database.OpenAsync();
        Assert.Equal("Open", await Dapper.SqlMapper.ExecuteScalarAsync<string>(check, "SELECT status FROM flows.incident WHERE id = @incidentId", new { incidentId }));
        Assert.Equal(0L, await Dapper.SqlMapper.ExecuteScalarAsync<long>(check, "SELECT count(*) FROM flows.instance WHERE definition_id = 'fragile' AND status = 'Finished'"));
    }

    [Fact]
    public async Task A_retry_that_fails_again_leaves_a_new_open_incident_and_the_next_retry_finishes_the_run()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("incidentretry2");
        await using var factory = await FragileHostAsync(database, failures: 2);
        using var client = factory.CreateClient();
        await DeliverOrderAsync(client);
        var first = await OpenIncidentAsync(database);

        var failedAgain = await client.PostAsync($"/api/incidents/{first}/retry", null);
        var second = await OpenIncidentAsync(database);
        var finished = await client.PostAsync($"/api/incidents/{second}/retry", null);

        Assert.NotNull(first);
        Assert.Contains("Faulted", await failedAgain.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotNull(second);
        Assert.NotEqual(first, second);
        Assert.Contains("Finished", await finished.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var check = await database.OpenAsync();
        Assert.Equal(2, await Dapper.SqlMapper.ExecuteScalarAsync<int>(check, "SELECT incident_count FROM flows.instance WHERE definition_id = 'fragile'"));
        Assert.Equal(0L, await Dapper.SqlMapper.ExecuteScalarAsync<long>(check, "SELECT count(*) FROM flows.incident WHERE status = 'Open'"));
    }

    [Fact]
    public async Task The_open_incidents_of_a_flow_are_retried_in_one_call_once_the_cause_is_gone()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("incidentretry3");
        await using var factory = await FragileHostAsync(database, failures: 2);
        using var client = factory.CreateClient();
        await DeliverOrderAsync(client);
        await DeliverOrderAsync(client, 820_000_000_001);
        for (var i = 0; i < 300 && await CountAsync(database, "SELECT count(*) FROM flows.incident WHERE status = 'Open'") < 2; i++)
        {
            await Task.Delay(100);
        }

        using var other = await client.PostAsJsonAsync("/api/incidents/retry", new { definitionId = "another-flow" });
        using var transientOnly = await client.PostAsJsonAsync("/api/incidents/retry", new { definitionId = "fragile", transient = true });
        using var retried = await client.PostAsJsonAsync("/api/incidents/retry", new { definitionId = "fragile" });

        Assert.Equal(0, (await other.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("retried").GetInt32());
        // The fragile activity's error ("ERP was busy", an InvalidOperationException) is not one that passes by itself.
        Assert.Equal(0, (await transientOnly.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("retried").GetInt32());
        var answer = await retried.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(2, answer.GetProperty("retried").GetInt32());
        Assert.All(answer.GetProperty("results").EnumerateArray(), r => Assert.Equal("Finished", r.GetProperty("status").GetString()));
        Assert.Equal(2L, await CountAsync(database, "SELECT count(*) FROM flows.instance WHERE definition_id = 'fragile' AND status = 'Finished'"));
        Assert.Equal(0L, await CountAsync(database, "SELECT count(*) FROM flows.incident WHERE status = 'Open'"));
    }

    [Theory]
    [InlineData("read", 2)]
    [InlineData(null, 1)]
    public async Task A_retry_starts_from_the_activity_that_retryFrom_names_so_what_was_read_is_read_again(string? retryFrom, int reads)
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("incidentretryfrom");
        await using var factory = await FragileHostAsync(database, failures: 1, retryFrom);
        using var client = factory.CreateClient();
        await DeliverOrderAsync(client);
        var incidentId = await OpenIncidentAsync(database) ?? 0;

        var retried = await client.PostAsync($"/api/incidents/{incidentId}/retry", null);

        Assert.Contains("Finished", await retried.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var check = await database.OpenAsync();
        // With retryFrom the read runs again on the retry; without it the retry starts at the failed activity.
        Assert.Equal(reads, await Dapper.SqlMapper.ExecuteScalarAsync<int>(check, "SELECT (output->>'reads')::int FROM flows.instance WHERE definition_id = 'fragile' AND status = 'Finished'"));
    }

    [Theory]
    [InlineData("Elsa.Flowchart")]
    [InlineData("Elsa.Sequence")]
    public async Task A_retry_of_an_activity_in_a_loop_goes_on_with_the_next_items_and_the_rest_of_the_flow(string body)
    {
        var (calls, seen, statuses) = await RetryInLoopAsync(body, failures: 1, continueWithIncidents: false);

        Assert.Equal(["Finished"], statuses);
        // b failed once and passed on the retry, which went on with c (not a again) and then past the loop.
        Assert.Equal(["a", "b", "b", "c"], calls);
        Assert.Equal("abc", seen);
    }

    [Fact]
    public async Task A_retry_in_a_loop_that_fails_again_keeps_the_item_and_the_next_retry_goes_on_from_it()
    {
        var (calls, seen, statuses) = await RetryInLoopAsync("Elsa.Flowchart", failures: 2, continueWithIncidents: false);

        Assert.Equal(["Faulted", "Finished"], statuses);
        Assert.Equal(["a", "b", "b", "b", "c"], calls);
        Assert.Equal("abc", seen);
    }

    [Fact]
    public async Task In_a_flow_that_goes_on_with_incidents_a_retry_runs_the_failed_activity_again_for_its_own_item_only()
    {
        var (calls, seen, statuses) = await RetryInLoopAsync("Elsa.Flowchart", failures: 1, continueWithIncidents: true);

        Assert.Equal(["Finished"], statuses);
        // The run went on with c and past the loop when b failed; the retry is b's call again, for b, and nothing else.
        Assert.Equal(["a", "b", "c", "b"], calls);
        Assert.Equal("abc", seen);
    }

    [Fact]
    public async Task An_incident_in_a_loop_that_does_not_say_its_item_is_refused_before_anything_runs_and_left_to_a_person()
    {
        var (calls, _, statuses) = await RetryInLoopAsync("Elsa.Flowchart", failures: 1, continueWithIncidents: false, raisedBeforePositionsWereKept: true);

        Assert.Equal(["Skipped"], statuses);
        Assert.Equal(["a", "b"], calls);
    }

    [Fact]
    public async Task Cancelling_one_incident_of_a_run_that_went_on_leaves_the_others_and_the_run_is_deleted_only_once_none_is_open()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("incidentcancel");
        var flows = Directory.CreateTempSubdirectory("flows-cancel-").FullName;
        await File.WriteAllTextAsync(Path.Combine(flows, "per-store.json"), """
            { "definitionId": "per-store", "version": 1,
              "options": { "incidentStrategyType": "Elsa.Workflows.IncidentStrategies.ContinueWithIncidentsStrategy, Elsa.Workflows.Core" },
              "variables": [ { "id": "Item", "name": "Item", "typeName": "String" } ],
              "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "received", "type": "Shopify.WebhookReceived", "version": 1, "topic": "orders/create", "customProperties": { "canStartWorkflow": true } },
                  { "id": "loop", "type": "Elsa.ForEach", "version": 1,
                    "items": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "['a', 'b', 'c']" } },
                    "currentValue": { "typeName": "Object", "memoryReference": { "id": "Item" } },
                    "body": { "id": "body", "type": "Elsa.Sequence", "version": 1, "activities": [
                      { "id": "call", "type": "Test.FailsOnItem", "version": 1, "item": { "typeName": "String", "expression": { "type": "JavaScript", "value": "getItem()" } } } ] } } ],
                "connections": [ { "source": { "activity": "received", "port": "Done" }, "target": { "activity": "loop", "port": "In" } } ] } }
            """);
        var calls = new FailsOnItem("a,b", failures: 10);
        await using var factory = FlowHost.Create(database, flows, builder =>
        {
            FlowHost.ShopifyStore(builder);
            builder.ConfigureServices(services => services.AddSingleton<FlowActivity>(calls));
        });
        using var client = factory.CreateClient();
        var runs = factory.Services.GetRequiredService<Integration.Workflows.Persistence.FlowRuns>();
        await DeliverOrderAsync(client);
        Assert.NotNull(await OpenIncidentAsync(database));
        await using var connection = await database.OpenAsync();
        var incidents = (await Dapper.SqlMapper.QueryAsync<(long Id, Guid Run)>(connection, "SELECT id, instance_id FROM flows.incident ORDER BY id")).ToList();
        Assert.Equal(2, incidents.Count);
        var run = incidents[0].Run;
        Assert.Equal("Finished", await Dapper.SqlMapper.ExecuteScalarAsync<string>(connection, "SELECT status FROM flows.instance WHERE id = @run", new { run }));

        // Finished, but with failures open: not deleted.
        var open = await Assert.ThrowsAsync<InvalidOperationException>(() => runs.DeleteRunAsync(run, CancellationToken.None));
        Assert.Contains("2 open incident(s)", open.Message, StringComparison.Ordinal);

        // One store's failure given up on: the other's stays to retry, and the run stays finished.
        (await client.PostAsync($"/api/incidents/{incidents[0].Id}/cancel", null)).EnsureSuccessStatusCode();
        Assert.Equal(["Cancelled", "Open"], await Dapper.SqlMapper.QueryAsync<string>(connection, "SELECT status FROM flows.incident ORDER BY id"));
        Assert.Equal("Finished", await Dapper.SqlMapper.ExecuteScalarAsync<string>(connection, "SELECT status FROM flows.instance WHERE id = @run", new { run }));
        Assert.Contains("1 open incident(s)", (await Assert.ThrowsAsync<InvalidOperationException>(() => runs.DeleteRunAsync(run, CancellationToken.None))).Message, StringComparison.Ordinal);

        // An incident left open on a run cancelled meanwhile is cancelled with it when retried, its activity not run.
        await Dapper.SqlMapper.ExecuteAsync(connection, "UPDATE flows.instance SET status = 'Cancelled' WHERE id = @run", new { run });
        var callsBefore = calls.Items.Count;
        var retry = await client.PostAsync($"/api/incidents/{incidents[1].Id}/retry", null);

        Assert.Equal(HttpStatusCode.Conflict, retry.StatusCode);
        Assert.Equal(callsBefore, calls.Items.Count);
        Assert.Equal(["Cancelled", "Cancelled"], await Dapper.SqlMapper.QueryAsync<string>(connection, "SELECT status FROM flows.incident ORDER BY id"));

        // A run cancelled while a host ran it waits for that host's lease to end before it may go.
        await Dapper.SqlMapper.ExecuteAsync(connection,
            "UPDATE flows.instance SET status = 'Running', lease_owner = 'other-host', lease_expires_at = now() + interval '1 minute' WHERE id = @run", new { run });
        await runs.CancelRunAsync(run, CancellationToken.None);
        var leased = await Assert.ThrowsAsync<InvalidOperationException>(() => runs.DeleteRunAsync(run, CancellationToken.None));
        Assert.Contains("once that host has let it go", leased.Message, StringComparison.Ordinal);
        await Dapper.SqlMapper.ExecuteAsync(connection, "UPDATE flows.instance SET lease_expires_at = now() - interval '1 second' WHERE id = @run", new { run });
        await runs.DeleteRunAsync(run, CancellationToken.None);
        Assert.Equal(0L, await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "SELECT count(*) FROM flows.instance WHERE id = @run", new { run }));

        // The host that still ran it, saving at its next checkpoint, does not store it anew.
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            var inFlight = new Integration.Workflows.Execution.FlowRunState { InstanceId = run.ToString("N") };
            Assert.False(await Integration.Workflows.Persistence.FlowInstanceStore.SaveAsync(
                connection, transaction, "per-store", 1, null, inFlight, "other-host", TimeSpan.FromMinutes(1), stored: true));
            await transaction.CommitAsync();
        }

        Assert.Equal(0L, await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "SELECT count(*) FROM flows.instance WHERE id = @run", new { run }));
    }

    /// <summary>
    /// A flow that records each item of ['a', 'b', 'c'] and then calls an activity failing on 'b' <paramref name="failures"/>
    /// times; its incident is retried until the run ends without one. Returns the calls, the output and each retry's status.
    /// </summary>
    private static async Task<(List<string> Calls, string? Seen, List<string> Statuses)> RetryInLoopAsync(
        string body, int failures, bool continueWithIncidents, bool raisedBeforePositionsWereKept = false)
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("incidentretryloop");
        var flows = Directory.CreateTempSubdirectory("flows-retry-loop-").FullName;
        var connections = body == "Elsa.Flowchart"
            ? """, "connections": [ { "source": { "activity": "record", "port": "Done" }, "target": { "activity": "call", "port": "In" } } ]"""
            : "";
        var options = continueWithIncidents ? """ "options": { "incidentStrategyType": "Elsa.Workflows.IncidentStrategies.ContinueWithIncidentsStrategy, Elsa.Workflows.Core" },""" : "";
        await File.WriteAllTextAsync(Path.Combine(flows, "per-item.json"), $$"""
            { "definitionId": "per-item", "version": 1, {{options}}
              "variables": [ { "id": "Item", "name": "Item", "typeName": "String" }, { "id": "Seen", "name": "Seen", "typeName": "String" } ],
              "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "received", "type": "Shopify.WebhookReceived", "version": 1, "topic": "orders/create", "customProperties": { "canStartWorkflow": true } },
                  { "id": "loop", "type": "Elsa.ForEach", "version": 1,
                    "items": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "['a', 'b', 'c']" } },
                    "currentValue": { "typeName": "Object", "memoryReference": { "id": "Item" } },
                    "body": { "id": "body", "type": "{{body}}", "version": 1, "activities": [
                      { "id": "record", "type": "Elsa.SetVariable", "version": 1, "variable": { "id": "Seen", "name": "Seen" },
                        "value": { "typeName": "String", "expression": { "type": "JavaScript", "value": "(getSeen() || '') + getItem()" } } },
                      { "id": "call", "type": "Test.FailsOnItem", "version": 1, "item": { "typeName": "String", "expression": { "type": "JavaScript", "value": "getItem()" } } } ]{{connections}} } },
                  { "id": "after", "type": "Elsa.SetOutput", "version": 1, "outputName": "seen",
                    "outputValue": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "getSeen()" } } } ],
                "connections": [
                  { "source": { "activity": "received", "port": "Done" }, "target": { "activity": "loop", "port": "In" } },
                  { "source": { "activity": "loop", "port": "Done" }, "target": { "activity": "after", "port": "In" } } ] } }
            """);
        var calls = new FailsOnItem("b", failures);
        await using var factory = FlowHost.Create(database, flows, builder =>
        {
            FlowHost.ShopifyStore(builder);
            builder.ConfigureServices(services => services.AddSingleton<FlowActivity>(calls));
        }, schedules: true);
        using var client = factory.CreateClient();
        await DeliverOrderAsync(client);
        var statuses = new List<string>();
        for (var incidentId = await OpenIncidentAsync(database); incidentId is { } id; incidentId = await OpenIncidentNowAsync(database))
        {
            await using (var check = await database.OpenAsync())
            {
                Assert.Equal("""{"loop": 1}""", await Dapper.SqlMapper.ExecuteScalarAsync<string>(check, "SELECT loops::text FROM flows.incident WHERE id = @id", new { id }));
                if (raisedBeforePositionsWereKept)
                {
                    // As an incident stored before the host kept loop positions, of an error that may pass.
                    await Dapper.SqlMapper.ExecuteAsync(check, "UPDATE flows.incident SET loops = NULL, transient = true WHERE id = @id", new { id });
                    var bulk = await client.PostAsJsonAsync("/api/incidents/retry", new { definitionId = "per-item" });
                    var result = (await bulk.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("results")[0];
                    Assert.Contains("does not say which item of Elsa.ForEach 'loop'", result.GetProperty("reason").GetString(), StringComparison.Ordinal);
                    Assert.Equal("Open", await Dapper.SqlMapper.ExecuteScalarAsync<string>(check, "SELECT status FROM flows.incident WHERE id = @id", new { id }));
                    // Left to a person: the host's own retries stop picking it.
                    Assert.False(await Dapper.SqlMapper.ExecuteScalarAsync<bool>(check, "SELECT transient FROM flows.incident WHERE id = @id", new { id }));
                    return (calls.Items, null, [result.GetProperty("status").GetString()!]);
                }
            }

            var retried = await client.PostAsync($"/api/incidents/{id}/retry", null);
            Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
            statuses.Add((await retried.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("status").GetString()!);
            Assert.True(statuses.Count < 5, "retried too often");
        }

        await using var read = await database.OpenAsync();
        return (calls.Items, await Dapper.SqlMapper.ExecuteScalarAsync<string>(read, "SELECT output->>'seen' FROM flows.instance WHERE definition_id = 'per-item'"), statuses);
    }

    private static async Task<long?> OpenIncidentNowAsync(TestDatabase database)
    {
        await using var connection = await database.OpenAsync();
        return await Dapper.SqlMapper.ExecuteScalarAsync<long?>(connection, "SELECT id FROM flows.incident WHERE status = 'Open'");
    }

    private static async Task<long> CountAsync(TestDatabase database, string sql)
    {
        await using var connection = await database.OpenAsync();
        return await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, sql);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // a store's push the scheduled run executed: the turn is the scheduled flow's
    public async Task A_retry_of_a_scheduled_runs_incident_or_its_sub_runs_waits_for_the_flows_turn_as_the_schedules_do(bool subRun)
    {
        await using var database = await TestPostgres.CreateDatabaseAsync(subRun ? "incidentretrysubturn" : "incidentretryturn");
        var flows = Directory.CreateTempSubdirectory("flows-retry-turn-").FullName;
        var call = subRun
            ? """{ "id": "call", "type": "Elsa.ExecuteWorkflow", "version": 1, "workflowDefinitionId": "push-store" }"""
            : """{ "id": "call", "type": "Test.FailsOnce", "version": 1 }""";
        await File.WriteAllTextAsync(Path.Combine(flows, "push.json"), $$"""
            { "definitionId": "push", "version": 1,
              "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "nightly", "type": "Elsa.Cron", "version": 1, "cronExpression": "0 0 0 1 1 ? 2099", "customProperties": { "canStartWorkflow": true } },
                  {{call}} ],
                "connections": [ { "source": { "activity": "nightly", "port": "Done" }, "target": { "activity": "call", "port": "In" } } ] } }
            """);
        await File.WriteAllTextAsync(Path.Combine(flows, "push-store.json"), """
            { "definitionId": "push-store", "version": 1,
              "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1, "activities": [ { "id": "call", "type": "Test.FailsOnce", "version": 1 } ], "connections": [] } }
            """);
        await using var factory = FlowHost.Create(database, flows, builder =>
            builder.ConfigureServices(services => services.AddSingleton<FlowActivity>(new FailsOnce())), schedules: true);
        using var client = factory.CreateClient();
        for (var i = 0; i < 100 && (await client.PostAsync("/api/schedules/push/nightly/run", null)).StatusCode != HttpStatusCode.Accepted; i++)
        {
            await Task.Delay(100); // the schedule is registered a moment after the host starts
        }

        long? incidentId = null;
        for (var i = 0; i < 100 && incidentId is null; i++)
        {
            await using var connection = await database.OpenAsync();
            incidentId = await Dapper.SqlMapper.ExecuteScalarAsync<long?>(connection, """
                SELECT i.id FROM flows.incident i JOIN flows.instance r ON r.id = i.instance_id WHERE i.status = 'Open' AND r.definition_id = @flow
                """, new { flow = subRun ? "push-store" : "push" });
            await Task.Delay(incidentId is null ? 100 : 0);
        }

        Assert.NotNull(incidentId);

        // Another run of the flow's schedules holds the turn (the next minute's push, on this host or another).
        await using var other = await database.OpenAsync();
        await Dapper.SqlMapper.ExecuteAsync(other, "SELECT pg_advisory_lock(hashtext('flows.schedules.turn:push'))");
        var retry = client.PostAsync($"/api/incidents/{incidentId}/retry", null);
        await Task.Delay(1500);
        Assert.False(retry.IsCompleted, "the retry ran while another run of the flow's schedules held the turn");

        await Dapper.SqlMapper.ExecuteAsync(other, "SELECT pg_advisory_unlock(hashtext('flows.schedules.turn:push'))");
        var retried = await retry;
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Contains("Finished", await retried.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>A host whose one flow calls an activity that fails the first <paramref name="failures"/> times.</summary>
    private static async Task<WebApplicationFactory<Program>> FragileHostAsync(TestDatabase database, int failures, string? retryFrom = null)
    {
        var flows = Directory.CreateTempSubdirectory("flows-retry-").FullName;
        // 'read' stands for a step that reads what 'call' writes: it counts how often it ran.
        await File.WriteAllTextAsync(Path.Combine(flows, "fragile.json"), """
            { "definitionId": "fragile", "version": 1, "variables": [ { "id": "Reads", "name": "Reads", "typeName": "Int32" } ],
              "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "received", "type": "Shopify.WebhookReceived", "version": 1, "topic": "orders/create", "customProperties": { "canStartWorkflow": true } },
                  { "id": "read", "type": "Elsa.SetVariable", "version": 1, "variable": { "id": "Reads", "name": "Reads" },
                    "value": { "typeName": "Int32", "expression": { "type": "JavaScript", "value": "(getReads() || 0) + 1" } } },
                  { "id": "call", "type": "Test.FailsOnce", "version": 1, "customProperties": { "retryFrom": RETRY_FROM } },
                  { "id": "done", "type": "Elsa.SetOutput", "version": 1, "outputName": "order",
                    "outputValue": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "getInput('payload').name" } } },
                  { "id": "reads", "type": "Elsa.SetOutput", "version": 1, "outputName": "reads",
                    "outputValue": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "getReads()" } } } ],
                "connections": [
                  { "source": { "activity": "received", "port": "Done" }, "target": { "activity": "read", "port": "In" } },
                  { "source": { "activity": "read", "port": "Done" }, "target": { "activity": "call", "port": "In" } },
                  { "source": { "activity": "call", "port": "Done" }, "target": { "activity": "done", "port": "In" } },
                  { "source": { "activity": "done", "port": "Done" }, "target": { "activity": "reads", "port": "In" } } ] } }
            """.Replace("RETRY_FROM", retryFrom is null ? "null" : $"\"{retryFrom}\"", StringComparison.Ordinal));
        return FlowHost.Create(database, flows, builder =>
        {
            FlowHost.ShopifyStore(builder);
            builder.ConfigureServices(services => services.AddSingleton<FlowActivity>(new FailsOnce(failures)));
        }, schedules: true);
    }

    // The docs' order, or another order (another id: its own record, so its incident supersedes no other order's).
    private static async Task DeliverOrderAsync(HttpClient client, long? id = null)
    {
        var body = RepoPaths.Fixture("shopify/orders-create.shopify-docs-2026-04.json");
        if (id is { } other)
        {
            var order = System.Text.Json.Nodes.JsonNode.Parse(body)!;
            order["id"] = other;
            body = System.Text.Encoding.UTF8.GetBytes(order.ToJsonString());
        }

        (await client.SendAsync(SignedDelivery.Shopify(body, HostFixture.ShopSecret, HostFixture.ShopDomain))).EnsureSuccessStatusCode();
    }

    // Waits up to 30 s: under a full parallel test run the host's first dispatch can take several seconds.
    private static async Task<long?> OpenIncidentAsync(TestDatabase database)
    {
        for (var i = 0; i < 300; i++)
        {
            await using var connection = await database.OpenAsync();
            if (await Dapper.SqlMapper.ExecuteScalarAsync<long?>(connection, "SELECT id FROM flows.incident WHERE status = 'Open'") is { } id)
            {
                return id;
            }

            await Task.Delay(100);
        }

        return null;
    }

    /// <summary>Fails the first time it is given <paramref name="failing"/>; remembers every item it was given.</summary>
    private sealed class FailsOnItem(string failing, int failures = 1) : FlowActivity
    {
        private int _failed;

        public List<string> Items { get; } = [];

        public override ActivityDescriptor Descriptor { get; } = new("Test.FailsOnItem", "Test", "Fails on an item", [new InputDescriptor("item", "String", true)], [], ["Done"]);

        public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
        {
            var item = context.Input<string>("item")!;
            lock (Items)
            {
                Items.Add(item);
            }

            return failing.Split(',').Contains(item) && Interlocked.Increment(ref _failed) <= failures
                ? throw new InvalidOperationException($"ERP was busy with {item}")
                : ValueTask.FromResult(ActivityResult.Done);
        }
    }

    private sealed class FailsOnce(int failures = 1) : FlowActivity
    {
        private int _calls;

        public override ActivityDescriptor Descriptor { get; } = new("Test.FailsOnce", "Test", "Fails once", [], [], ["Done"]);

        public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context) =>
            Interlocked.Increment(ref _calls) <= failures ? throw new InvalidOperationException("ERP was busy") : ValueTask.FromResult(ActivityResult.Done);
    }
}
