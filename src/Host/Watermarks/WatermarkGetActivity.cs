using Dapper;
using Integration.Workflows.Activities;
using Npgsql;

namespace Integration.Host.Watermarks;

/// <summary><c>Watermark.Get</c>: how far a repeated sync got (its <c>initial</c> value the first time).</summary>
internal sealed class WatermarkGetActivity : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "Watermark.Get", "Sync", "Get watermark",
        [
            new InputDescriptor("key", "String", true, Description: "e.g. shopify:cairo-fashion:stock"),
            new InputDescriptor("initial", "String", Description: "The value before the first run (e.g. 0 for a full upload, or a date)."),
        ],
        [new OutputDescriptor("value", "String")],
        ["Done"],
        Description: "Reads how far a repeated sync got.");

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var db = context.Services?.GetService<NpgsqlDataSource>() ?? throw new InvalidOperationException("Watermark.Get needs the host's database.");
        await using var connection = await db.OpenConnectionAsync(context.CancellationToken);
        var value = await connection.ExecuteScalarAsync<string?>("SELECT value FROM integration.watermark WHERE name = @name", new { name = context.Input<string>("key") });
        context.SetOutput("value", value ?? context.Input<string>("initial"));
        return ActivityResult.Done;
    }
}
