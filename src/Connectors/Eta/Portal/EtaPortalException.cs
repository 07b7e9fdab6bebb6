using Integration.Workflows.Execution;

namespace Integration.Connectors.Eta.Portal;

/// <summary>
/// The portal refused a call for good (bad structure, wrong submitter, refused credentials, unknown device): sending the
/// same again will not help.
/// </summary>
public class EtaPortalException(string message, string? code = null, int? statusCode = null, Exception? inner = null)
    : Exception(message, inner), ITransientFailure
{
    /// <summary>ETA's error code when it sent one (<c>BadStructure</c>, <c>invalid_client</c>...).</summary>
    public string? Code { get; } = code;

    /// <summary>The HTTP status of the last answer, when there was one.</summary>
    public int? StatusCode { get; } = statusCode;

    /// <summary>The answer proves the portal did not take the submission (refused whole, throttled, down, a WAF page): it may be sent again as is.</summary>
    public bool NotTaken { get; internal set; }

    /// <summary>A refusal for good is not; <see cref="EtaTransientException"/> (busy, down, unreachable) is.</summary>
    public virtual bool IsTransient => false;
}
