using System.Globalization;
using Integration.Workflows.Expressions;
using Integration.Workflows.Model;
using Quartz;

namespace Integration.Workflows.Scheduling;

/// <summary>
/// When a schedule trigger (<c>Elsa.Timer</c>, <c>Elsa.Cron</c>, <c>Elsa.StartAt</c>) fires: read from the activity's
/// literal input. Cron expressions are Quartz's (seconds first); a five-field Unix expression is accepted too.
/// </summary>
public sealed record FlowSchedule(string Kind, string Value)
{
    public static readonly IReadOnlySet<string> TriggerTypes = new HashSet<string>(StringComparer.Ordinal) { "Elsa.Timer", "Elsa.Cron", "Elsa.StartAt" };

    /// <summary>A fingerprint of the schedule, stored with the Quartz trigger so an unchanged schedule is left alone.</summary>
    public string Fingerprint => $"{Kind}:{Value}";

    public static FlowSchedule? Of(FlowActivityNode node)
    {
        string? Literal(string input) => FlowExpression.From(node.Property(input))?.Value;
        return node.Type switch
        {
            "Elsa.Timer" when Literal("interval") is { } interval => new("Timer", interval),
            "Elsa.Cron" when Literal("cronExpression") is { } cron => Create("Cron", cron),
            "Elsa.StartAt" when Literal("dateTime") is { } at => new("StartAt", at),
            _ => null,
        };
    }

    public static FlowSchedule Create(string kind, string value) => new(kind, kind == "Cron" ? QuartzCron(value) : value.Trim());

    /// <summary>The next time after <paramref name="after"/> this schedule fires (for a schedule activity reached mid-flow).</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset after) => Kind switch
    {
        "Timer" => after + TimeSpan.Parse(Value, CultureInfo.InvariantCulture),
        "Cron" => new CronExpression(Value, TimeZoneInfo.Utc).GetNextValidTimeAfter(after),
        _ => DateTimeOffset.Parse(Value, CultureInfo.InvariantCulture) is var at && at > after ? at : after,
    };

    /// <summary>Why this schedule cannot be used, or null when it can.</summary>
    public string? Problem()
    {
        try
        {
            _ = NextAfter(DateTimeOffset.UnixEpoch);
            return Kind == "Timer" && TimeSpan.Parse(Value, CultureInfo.InvariantCulture) <= TimeSpan.Zero ? "the interval must be positive" : null;
        }
        catch (FormatException ex)
        {
            return ex.Message;
        }
    }

    internal ITrigger Trigger(JobKey job, bool allowOverlap)
    {
        var builder = TriggerBuilder.Create()
            .WithIdentity(job.Name, job.Group)
            .ForJob(job)
            .WithDescription(Fingerprint)
            .WithOverlapPolicy(allowOverlap ? OverlapPolicy.AllowAll : OverlapPolicy.Skip);
        return Kind switch
        {
            // Times missed while paused or down fire once on resume, then the schedule goes on (docs/operations.md):
            // Quartz's default for a repeating timer would wait for its next interval instead.
            "Timer" => builder.StartNow().WithSimpleSchedule(s => s.WithInterval(TimeSpan.Parse(Value, CultureInfo.InvariantCulture)).RepeatForever()
                .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NowWithRemainingCount)).Build(),
            "Cron" => builder.WithCronSchedule(Value, c => c.InTimeZone(TimeZoneInfo.Utc).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)).Build(),
            _ => builder.StartAt(DateTimeOffset.Parse(Value, CultureInfo.InvariantCulture)).Build(),
        };
    }

    // Unix cron has five fields and no seconds; Quartz wants seconds first and '?' in one of the two day fields.
    private static string QuartzCron(string expression)
    {
        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5)
        {
            return expression.Trim();
        }

        if (fields[4] == "*")
        {
            fields[4] = "?";
        }
        else if (fields[2] == "*")
        {
            fields[2] = "?";
        }

        return "0 " + string.Join(' ', fields);
    }
}
