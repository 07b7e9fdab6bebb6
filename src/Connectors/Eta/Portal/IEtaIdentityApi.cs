using Refit;

namespace Integration.Connectors.Eta.Portal;

/// <summary>ETA's identity service. The answer is read raw: refusals carry their code in a 400 body.</summary>
internal interface IEtaIdentityApi
{
    [Post("/connect/token")]
    Task<HttpResponseMessage> TokenAsync(
        [Body] HttpContent form,
        [Header("posserial")] string posSerial,
        [Header("pososversion")] string posOsVersion,
        [Header("posmodelframework")] string posModelFramework,
        [Header("presharedkey")] string presharedKey,
        CancellationToken cancellationToken);
}
