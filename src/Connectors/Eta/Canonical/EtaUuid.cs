using System.Security.Cryptography;
using System.Text;

namespace Integration.Connectors.Eta.Canonical;

/// <summary>A receipt's UUID: lowercase hex SHA-256 of the UTF-8 canonical form with <c>header.uuid</c> blanked.</summary>
public static class EtaUuid
{
    public static string Compute(string receiptJson) => Hash(EtaCanonicalForm.Serialize(receiptJson, blankUuid: true));

    public static string Hash(string canonical) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
}
