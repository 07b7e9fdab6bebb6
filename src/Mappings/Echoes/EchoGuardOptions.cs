using System.ComponentModel.DataAnnotations;

namespace Integration.Mappings.Echoes;

/// <summary><c>Mappings:EchoGuard</c>: how long a fingerprint of our own write waits for its echo.</summary>
public sealed class EchoGuardOptions
{
    public const string Section = "Mappings:EchoGuard";

    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan Expiry { get; set; } = TimeSpan.FromMinutes(30);
}
