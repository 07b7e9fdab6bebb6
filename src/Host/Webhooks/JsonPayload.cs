using System.Text.Json;

namespace Integration.Host.Webhooks;

/// <summary>Checks that a body is one well-formed JSON value, without building a document.</summary>
internal static class JsonPayload
{
    /// <summary>Null when the body is well-formed JSON, else the parser's reason.</summary>
    public static string? Problem(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return "empty body";
        }

        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            while (reader.Read())
            {
            }

            return null;
        }
        catch (JsonException ex)
        {
            return "malformed JSON: " + ex.Message;
        }
    }
}
