using Integration.Workflows.Persistence;
using Microsoft.Extensions.Options;

namespace Integration.Host.Retention;

/// <summary>
/// The retention settings checked together at start: a handled delivery or ERP event must not outlive the runs it
/// started (the dispatchers know one already ran by its runs, so one requeued after they were deleted would run again),
/// and purges must pause between rounds.
/// </summary>
internal sealed class RetentionSettingsCheck(IOptions<FlowRetentionOptions> runs) : IValidateOptions<MessageRetentionOptions>
{
    private static readonly TimeSpan ShortestInterval = TimeSpan.FromMinutes(1);

    public ValidateOptionsResult Validate(string? name, MessageRetentionOptions options)
    {
        var failures = new List<string>();
        var flows = runs.Value;
        if (flows.Days < 1)
        {
            failures.Add($"Flows:Retention:Days is {flows.Days}: keep ended runs at least 1 day.");
        }
        else if (flows.Days < options.InboxDays)
        {
            failures.Add($"Flows:Retention:Days ({flows.Days}) is less than Messages:Retention:InboxDays ({options.InboxDays}): a delivery kept after its run was deleted would run again if requeued. Keep runs at least as long as deliveries.");
        }
        else if (flows.Days < options.OutboxDays)
        {
            failures.Add($"Flows:Retention:Days ({flows.Days}) is less than Messages:Retention:OutboxDays ({options.OutboxDays}): an ERP event kept after its runs were deleted would start them again if requeued. Keep runs at least as long as events.");
        }

        if (flows.Interval < ShortestInterval)
        {
            failures.Add($"Flows:Retention:Interval is {flows.Interval}: at least {ShortestInterval}.");
        }

        if (options.Interval < ShortestInterval)
        {
            failures.Add($"Messages:Retention:Interval is {options.Interval}: at least {ShortestInterval}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
