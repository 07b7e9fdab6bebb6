using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Integration.Simulators.Eta;

/// <summary>
/// ETA's "document serialization approach" and the receipt UUID, written independently of the connector (a streaming
/// <see cref="Utf8JsonReader"/> walk over the bytes) so that a bug in the connector's serializer shows up as a rejection.
/// </summary>
internal static class EtaUuidCalculator
{
    public static string ComputeUuid(string receiptJson) => ComputeUuid(Encoding.UTF8.GetBytes(receiptJson));

    public static string ComputeUuid(ReadOnlySpan<byte> receiptJson) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Serialize(receiptJson, blankUuid: true))));

    /// <summary>The canonical string: upper-cased quoted names, values quoted as written, array names repeated per element.</summary>
    public static string Serialize(ReadOnlySpan<byte> json, bool blankUuid)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        var output = new StringBuilder();
        // Each open container: is it an array, and the (upper-cased) name it is written under.
        var frames = new Stack<(bool IsArray, string Name)>();
        var property = "";
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    property = reader.GetString()!.ToUpperInvariant();
                    break;
                case JsonTokenType.StartObject:
                    if (frames.Count > 0)
                    {
                        Quote(output, NameHere(frames, property));
                    }

                    frames.Push((false, frames.Count == 0 ? "" : NameHere(frames, property)));
                    break;
                case JsonTokenType.StartArray:
                    {
                        var name = NameHere(frames, property);
                        Quote(output, name);
                        frames.Push((true, name));
                        break;
                    }

                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    frames.Pop();
                    break;
                default:
                    Quote(output, NameHere(frames, property));
                    // The receipt's own uuid is not part of what it hashes (root > header > uuid).
                    var isOwnUuid = blankUuid && frames.Count == 2 && !frames.Peek().IsArray && frames.Peek().Name == "HEADER" && property == "UUID";
                    Quote(output, isOwnUuid ? "" : ValueText(ref reader));
                    break;
            }
        }

        return output.ToString();
    }

    // Inside an array every element is preceded by the array's name; inside an object by the property's name.
    private static string NameHere(Stack<(bool IsArray, string Name)> frames, string property) =>
        frames.Count > 0 && frames.Peek().IsArray ? frames.Peek().Name : property;

    // Strings decoded (non-ASCII literal, nothing escaped); numbers and literals as their raw text (250.00 stays 250.00).
    private static string ValueText(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.String
        ? reader.GetString()!
        : Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan);

    private static void Quote(StringBuilder output, string text) => output.Append('"').Append(text).Append('"');
}
