using Microsoft.Extensions.Options;

namespace Integration.Host.Tests.Security;

/// <summary>What a host that refused to start says, its options' failures and inner causes included, as one text.</summary>
internal static class StartRefusal
{
    /// <summary>
    /// Starts the host as <c>serve</c> builds it with these arguments (nothing listens before validation, and no
    /// database is needed with migrations off), stops it; what refused the start, "" when it started.
    /// </summary>
    public static async Task<string> OfAsync(IEnumerable<string> args)
    {
        await using var app = IntegrationHost.Build([.. args]);
        try
        {
            await app.StartAsync();
            await app.StopAsync();
            return "";
        }
        catch (Exception failed)
        {
            return Message(failed);
        }
    }

    public static string Message(Exception exception) => exception switch
    {
        OptionsValidationException options => string.Join("; ", options.Failures),
        AggregateException aggregate => string.Join("; ", aggregate.InnerExceptions.Select(Message)),
        { InnerException: { } inner } => exception.Message + "; " + Message(inner),
        _ => exception.Message,
    };
}
