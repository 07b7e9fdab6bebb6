using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;

namespace Integration.Workflows.Triggers;

/// <summary>
/// What a trigger's JavaScript filter may read of the host's configuration (<c>getSettings(path)</c>): a section under
/// <c>Connectors:</c> as JSON (numbered sections as arrays, values as strings), never a secret among it. A filter is
/// written in the designer, and what it throws is logged.
/// </summary>
internal static class ConnectorSettingsJson
{
    private static readonly string[] SecretWords = ["secret", "token", "password", "key", "credential"];

    /// <summary>The section at <paramref name="path"/>, or null when it is absent, outside <c>Connectors:</c> or a secret.</summary>
    public static JsonNode? Read(IConfiguration? configuration, string path) =>
        configuration is not null && path.StartsWith("Connectors:", StringComparison.OrdinalIgnoreCase) && !IsSecret(path)
            ? Section(configuration.GetSection(path))
            : null;

    private static JsonNode? Section(IConfigurationSection section)
    {
        var children = section.GetChildren().ToList();
        if (children.Count == 0)
        {
            return section.Value is null ? null : JsonValue.Create(section.Value);
        }

        if (children.All(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            return new JsonArray([.. children.OrderBy(c => int.Parse(c.Key, CultureInfo.InvariantCulture)).Select(Section)]);
        }

        var json = new JsonObject();
        foreach (var child in children.Where(c => !IsSecret(c.Key)))
        {
            json[child.Key] = Section(child);
        }

        return json;
    }

    // Any segment of the path: an index into a secret list (PreviousAppSecrets:0) is as secret as the list.
    private static bool IsSecret(string path) =>
        path.Split(':').Any(segment => SecretWords.Any(word => segment.Contains(word, StringComparison.OrdinalIgnoreCase)));
}
