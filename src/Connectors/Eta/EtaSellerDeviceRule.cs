using Microsoft.Extensions.Options;

namespace Integration.Connectors.Eta;

/// <summary>Each seller issues on a configured device: a typo would leave its receipts unsendable until a restart.</summary>
internal sealed class EtaSellerDeviceRule : IValidateOptions<EtaOptions>
{
    public ValidateOptionsResult Validate(string? name, EtaOptions options)
    {
        var devices = options.Devices.Select(d => d.Serial).ToHashSet(StringComparer.Ordinal);
        var failures = options.Sellers
            .Where(s => !devices.Contains(s.Device))
            .Select(s => $"Connectors:Eta:Sellers (Store '{s.Store}'): Device '{s.Device}' is not one of Connectors:Eta:Devices ({(devices.Count == 0 ? "none" : string.Join(", ", devices))}).")
            .ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
