using System.ComponentModel.DataAnnotations;

namespace Integration.Host.Security;

/// <summary><c>Limits</c>: the largest request body the host reads, and how long an operator request may take.</summary>
public sealed class RequestLimitsOptions
{
    public const string Section = "Limits";

    /// <summary>Largest request body (Kestrel's limit; 413 beyond it). Webhooks have their own, <c>Webhooks:MaxBodyBytes</c>. Default 10 MiB.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxRequestBodyBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>How long a request to <c>/api</c>, <c>/elsa/api</c> or <c>/designer</c> may run before it is answered 504. Default 60 s.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);
}
