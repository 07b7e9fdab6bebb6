using Refit;

namespace Integration.Connectors.Eta.Portal;

/// <summary>
/// The e-receipt API. Answers are read raw (status, Retry-After, WAF pages); the submit body is prepared text because
/// the portal hashes the receipts as sent.
/// </summary>
internal interface IEtaReceiptApi
{
    [Post("/api/v1/receiptsubmissions")]
    Task<HttpResponseMessage> SubmitAsync([Body] HttpContent body, [Header("Authorization")] string authorization, CancellationToken cancellationToken);

    [Get("/api/v1/receiptsubmissions/{submissionId}/details")]
    Task<HttpResponseMessage> SubmissionDetailsAsync(
        string submissionId,
        [AliasAs("PageNo")] int pageNo,
        [AliasAs("PageSize")] int pageSize,
        [Header("Authorization")] string authorization,
        CancellationToken cancellationToken);

    [Get("/api/v1/receipts/{uuid}/details")]
    Task<HttpResponseMessage> ReceiptDetailsAsync(string uuid, [Header("Authorization")] string authorization, CancellationToken cancellationToken);
}
