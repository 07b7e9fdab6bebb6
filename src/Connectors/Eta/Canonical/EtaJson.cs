using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Integration.Connectors.Eta.Canonical;

/// <summary>
/// The one way a receipt becomes text: compact, Arabic and other non-ASCII text unescaped (the portal and the hash see
/// the same characters), numbers as <see cref="EtaAmount"/> made them. The text written is the text hashed and sent.
/// </summary>
public static class EtaJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    public static string Write(JsonNode node) => node.ToJsonString(Options);
}
