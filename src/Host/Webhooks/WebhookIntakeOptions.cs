using System.ComponentModel.DataAnnotations;

namespace Integration.Host.Webhooks;

/// <summary><c>Webhooks</c>: limits of the webhook intake.</summary>
internal sealed class WebhookIntakeOptions
{
    public const string Section = "Webhooks";

    /// <summary>Largest body accepted; larger deliveries get 413. Default 5 MiB.</summary>
    [Range(1024, 256 * 1024 * 1024)]
    public int MaxBodyBytes { get; init; } = 5 * 1024 * 1024;
}
