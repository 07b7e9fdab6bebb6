using System.Globalization;
using Dapper;
using Integration.Workflows.Activities;
using Npgsql;

namespace Integration.Host.Watermarks;

/// <summary>
/// <c>Watermark.Set</c>: records how far a sync got, once its work is done (a run that fails before leaves it where it
/// was). A watermark only moves forward: two runs of one sync that overlap (the nightly full upload and the minute's
/// push) must not let the slower one take it back, or the next run would repeat work. Numbers and times are
/// compared as such; <c>reset</c> moves it anywhere.
/// </summary>
internal sealed class WatermarkSetActivity : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "Watermark.Set", "Sync", "Set watermark",
        [
            new InputDescriptor("key", "String", true),
            new InputDescriptor("value", "String", true),
            new InputDescriptor("reset", "Boolean", Description: "Set it even if it is behind the stored one (start a sync over)."),
        ],
        [new OutputDescriptor("value", "String", "The watermark now stored.")],
        ["Done"],
        Description: "Records how far a repeated sync got; it never moves back unless reset.",
        HasExternalEffect: true);

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var db = context.Services?.GetService<NpgsqlDataSource>() ?? throw new InvalidOperationException("Watermark.Set needs the host's database.");
        var key = context.Input<string>("key");
        var value = context.Input<string>("value") ?? throw new InvalidOperationException("Watermark.Set: 'value' is empty.");
        var reset = context.HasInput("reset") && context.Input<bool>("reset");
        await using var connection = await db.OpenConnectionAsync(context.CancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(context.CancellationToken);
        await connection.ExecuteAsync("INSERT INTO integration.watermark (name, value) VALUES (@key, @value) ON CONFLICT (name) DO NOTHING", new { key, value }, transaction);
        var stored = await connection.ExecuteScalarAsync<string>("SELECT value FROM integration.watermark WHERE name = @key FOR UPDATE", new { key }, transaction);
        var kept = reset || IsBehind(stored, value) ? value : stored!;
        await connection.ExecuteAsync("UPDATE integration.watermark SET value = @kept, updated_at = now() WHERE name = @key", new { key, kept }, transaction);
        await transaction.CommitAsync(context.CancellationToken);
        context.SetOutput("value", kept);
        return ActivityResult.Done;
    }

    // True when the stored value is behind the new one, or they cannot be compared (then the new one is taken).
    private static bool IsBehind(string? stored, string value) =>
        stored is null
        || (long.TryParse(stored, NumberStyles.Integer, CultureInfo.InvariantCulture, out var a) && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var b) ? a <= b
            : DateTimeOffset.TryParse(stored, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var s) && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var v) ? s <= v
            : true);
}
