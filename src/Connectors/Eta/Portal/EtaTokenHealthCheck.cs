using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Integration.Connectors.Eta.Portal;

/// <summary>
/// Can this host get (or still holds) an access token for each configured POS device? Degraded when the portal is down
/// or slow (receipts wait and go out later), unhealthy when it refuses a device's credentials (an operator must act).
/// The answer is kept for <see cref="EtaOptions.HealthCheckInterval"/>, so a monitor polling <c>/health</c> does not
/// turn into logins at the portal.
/// </summary>
internal sealed class EtaTokenHealthCheck(EtaPortalClient portal, IOptions<EtaOptions> options, TimeProvider time) : IHealthCheck, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (DateTimeOffset At, HealthCheckResult Result)? _last;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_last is { } last && time.GetUtcNow() - last.At < options.Value.HealthCheckInterval)
            {
                return last.Result;
            }

            var result = await CheckDevicesAsync(cancellationToken);
            _last = (time.GetUtcNow(), result);
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task<HealthCheckResult> CheckDevicesAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.Devices.Count == 0)
        {
            return HealthCheckResult.Healthy("No ETA device is configured");
        }

        var data = new Dictionary<string, object>();
        var refused = new List<string>();
        var unreachable = new List<string>();
        foreach (var device in settings.Devices)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(settings.HealthCheckTimeout);
            try
            {
                await portal.EnsureTokenAsync(device.Serial, timeout.Token);
                data[device.Serial] = "token";
            }
            catch (EtaTransientException ex)
            {
                unreachable.Add(device.Serial);
                data[device.Serial] = ex.Message;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                unreachable.Add(device.Serial);
                data[device.Serial] = $"no answer from the ETA portal within {settings.HealthCheckTimeout}";
            }
            catch (EtaPortalException ex)
            {
                refused.Add(device.Serial);
                data[device.Serial] = ex.Message;
            }
        }

        if (refused.Count > 0)
        {
            return HealthCheckResult.Unhealthy($"ETA refused a token for {string.Join(", ", refused)}: check the device's credentials", data: data);
        }

        return unreachable.Count > 0
            ? HealthCheckResult.Degraded($"No ETA token for {string.Join(", ", unreachable)}: the portal is down or slow; receipts wait", data: data)
            : HealthCheckResult.Healthy($"ETA tokens for {settings.Devices.Count} device(s)", data);
    }
}
