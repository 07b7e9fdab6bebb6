namespace Integration.Host.Messages;

/// <summary>The HTTP answer to an operator's change of one message row's status (<see cref="MessageStatusChange.OneAsync"/>).</summary>
internal static class StatusChangeAnswer
{
    /// <summary>
    /// <paramref name="unknown"/> when there is no such row, <paramref name="refused"/> (given the row's status) when its
    /// status does not allow the change, else <paramref name="changed"/> (given the status it had).
    /// </summary>
    public static async Task<IResult> Of(
        (string PreviousStatus, bool Changed)? outcome, Func<IResult> unknown, Func<string, IResult> refused, Func<string, Task<IResult>> changed) =>
        outcome switch
        {
            null => unknown(),
            { Changed: false, PreviousStatus: var status } => refused(status),
            { PreviousStatus: var status } => await changed(status),
        };
}
