using System.Globalization;
using Integration.Connectors.Eta.Canonical;

namespace Integration.Connectors.Eta.Receipts;

/// <summary>
/// The QR content printed on a receipt (Receipt Issuance FAQ): the portal's share link with the total and the issuer's
/// RIN after <c>#</c>. The FAQ example has minutes; the time here is the receipt's own, to the second.
/// </summary>
public static class ReceiptQr
{
    public static string Content(string portalBaseUrl, string uuid, DateTimeOffset dateTimeIssued, decimal totalAmount, string rin)
    {
        ArgumentNullException.ThrowIfNull(portalBaseUrl);
        var total = EtaAmount.Round(totalAmount).ToString(CultureInfo.InvariantCulture);
        return $"{portalBaseUrl.TrimEnd('/')}/receipts/search/{uuid}/share/{ReceiptBuilder.IssueTime(dateTimeIssued)}#Total:{total},IssuerRIN:{rin}";
    }
}
