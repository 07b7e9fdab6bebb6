using Microsoft.Extensions.Options;

namespace Integration.Host.Tests.Security;

/// <summary>What a host that refused to start says, its options' failures and inner causes included, as one text.</summary>
internal static class StartRefusal
{
    public static string Message(Exception exception) => exception switch
    {
        OptionsValidationException options => string.Join("; ", options.Failures),
        AggregateException aggregate => string.Join("; ", aggregate.InnerExceptions.Select(Message)),
        { InnerException: { } inner } => exception.Message + "; " + Message(inner),
        _ => exception.Message,
    };
}
