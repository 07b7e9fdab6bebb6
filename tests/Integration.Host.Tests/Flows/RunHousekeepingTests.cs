using System.Net;
using Dapper;
using Integration.Testing;
using Integration.Workflows.Persistence;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Host.Tests.Flows;

public sealed class RunHousekeepingTests
{
    [Fact]
    public async Task Old_ended_runs_are_deleted_but_runs_with_open_incidents_and_recent_ones_are_kept()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("retention");
        await using var host = Host(database);
        using var client = host.CreateClient();
        await using (var connection = await database.OpenAsync())
        {
            await connection.ExecuteAsync("""
                INSERT INTO flows.definition (definition_id, version, json, content_hash) VALUES ('old', 1, '{}', 'x');
                INSERT INTO flows.instance (id, definition_id, version, status, finished_at) VALUES
                    ('00000000-0000-0000-0000-000000000001', 'old', 1, 'Finished', now() - interval '40 days'),
                    ('00000000-0000-0000-0000-000000000002', 'old', 1, 'Finished', now() - interval '2 days'),
                    ('00000000-0000-0000-0000-000000000003', 'old', 1, 'Faulted', now() - interval '40 days'),
                    ('00000000-0000-0000-0000-000000000004', 'old', 1, 'Faulted', now() - interval '40 days');
                INSERT INTO flows.incident (instance_id, activity_id, activity_type, message, status) VALUES
                    ('00000000-0000-0000-0000-000000000003', 'a', 'Elsa.Fault', 'look at me', 'Open'),
                    ('00000000-0000-0000-0000-000000000004', 'a', 'Elsa.Fault', 'dealt with', 'Retried');
                """);
        }

        var purged = await host.Services.GetRequiredService<FlowRetention>().PurgeAsync(CancellationToken.None);

        Assert.Equal(2, purged);
        await using var check = await database.OpenAsync();
        Assert.Equal(["00000000-0000-0000-0000-000000000002", "00000000-0000-0000-0000-000000000003"],
            (await check.QueryAsync<Guid>("SELECT id FROM flows.instance ORDER BY id")).Select(g => g.ToString()));
        Assert.Equal(1L, await check.ExecuteScalarAsync<long>("SELECT count(*) FROM flows.incident"));
    }

    [Fact]
    public async Task A_suspended_run_is_cancelled_through_the_api_once()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("cancelrun");
        await using var host = Host(database);
        using var client = host.CreateClient();
        await using (var connection = await database.OpenAsync())
        {
            await connection.ExecuteAsync("""
                INSERT INTO flows.definition (definition_id, version, json, content_hash) VALUES ('waiting', 1, '{}', 'x');
                INSERT INTO flows.instance (id, definition_id, version, status, next_resume_at)
                VALUES ('00000000-0000-0000-0000-0000000000aa', 'waiting', 1, 'Suspended', now() + interval '1 day');
                """);
        }

        using var cancelled = await client.PostAsync("/api/runs/00000000-0000-0000-0000-0000000000aa/cancel", null);
        using var again = await client.PostAsync("/api/runs/00000000-0000-0000-0000-0000000000aa/cancel", null);
        using var unknown = await client.PostAsync($"/api/runs/{Guid.NewGuid()}/cancel", null);

        Assert.Equal(HttpStatusCode.NoContent, cancelled.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        await using var check = await database.OpenAsync();
        Assert.Equal("Cancelled", await check.ExecuteScalarAsync<string>("SELECT status FROM flows.instance"));
    }

    private static WebApplicationFactory<Program> Host(TestDatabase database) => FlowHost.Create(database, Directory.CreateTempSubdirectory("flows-none-").FullName, builder =>
    {
        builder.UseSetting("Flows:Retention:Interval", "01:00:00");
    });
}
