namespace Integration.Simulators.Eta;

/// <summary>A POS registered on the simulated portal: the credentials and headers its token request must carry.</summary>
internal sealed record EtaDevice(string Serial, string ClientId, string ClientSecret, string PresharedKey, string OsVersion, string ModelFramework);
