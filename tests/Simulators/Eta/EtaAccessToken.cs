namespace Integration.Simulators.Eta;

/// <summary>An issued bearer token: bound to one device serial, valid until <c>ExpiresAt</c> on the simulator's clock.</summary>
internal sealed record EtaAccessToken(string DeviceSerial, DateTimeOffset ExpiresAt);
