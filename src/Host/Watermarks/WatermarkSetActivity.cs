using Dapper;
using Integration.Workflows.Activities;
using Npgsql;

namespace Integration.Host.Watermarks;

/// <summary><c>Watermark.Set</c>: records how far a sync got, once its work is done (a run that fails before leaves it where it was).</summary>
internal sealed class WatermarkSetActivity : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "Watermark.Set", "Sync", "Set watermark",
        [new InputDescriptor("key", "String", true), new InputDescriptor("value", "String", true)],
        [],
        ["Done"],
        Description: "Records how far a repeated sync got.",
        HasExternalEffect: true);

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var db = context.Services?.GetService<NpgsqlDataSource>() ?? throw new InvalidOperationException("Watermark.Set needs the host's database.");
        await using var connection = await db.OpenConnectionAsync(context.CancellationToken);
        await connection.ExecuteAsync("""
            INSERT INTO integration.watermark (name, value) VALUES (@name, @value)
            ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = now()
            """, new { name = context.Input<string>("key"), value = context.Input<string>("value") });
        return ActivityResult.Done;
    }
}
