using System.ComponentModel.DataAnnotations;

namespace Integration.Host.Webhooks;

/// <summary><c>Webhooks</c>: limits of the webhook intake.</summary>
internal sealed class WebhookIntakeOptions
{
    public const string Section = "Webhooks";

    /// <summary>Largest body accepted; larger deliveries get 413. Default 5 MiB.</summary>
    [Range(1024, 256 * 1024 * 1024)]
    public int MaxBodyBytes { get; init; } = 5 * 1024 * 1024;

    /// <summary>How long a body may take to arrive (before its signature can be checked); later, 408. Default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan BodyReadTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
