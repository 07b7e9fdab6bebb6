namespace Integration.Workflows.Http;

/// <summary>
/// <c>Flows:Http</c>: where flows may call out with <c>SendHttpRequest</c>. <see cref="AllowedHosts"/> lists host names
/// (<c>api.example.com</c>), sub-domain patterns (<c>*.example.com</c>) or <c>*</c> for any; empty (the default) lets
/// no flow call out, so a flow edited in the designer cannot send data anywhere nobody chose.
/// </summary>
public sealed class FlowHttpOptions
{
    public const string Section = "Flows:Http";

    public IList<string> AllowedHosts { get; } = [];

    /// <summary>How long one call may take before the activity's <c>Timeout</c> outcome.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);
}
