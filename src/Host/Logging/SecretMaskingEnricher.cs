using Serilog.Core;
using Serilog.Events;

namespace Integration.Host.Logging;

/// <summary>
/// Replaces the value of any log property whose name says it holds a secret (secret, password, token, api key,
/// authorization, signature) with <c>***</c>, at any depth, so a careless log line cannot leak one; and the secret of an
/// operator key in any text (a request path naming a key to revoke).
/// </summary>
internal sealed class SecretMaskingEnricher : ILogEventEnricher
{
    private static readonly string[] SecretWords = ["secret", "password", "token", "apikey", "api_key", "authorization", "hmac", "signature"];
    private static readonly ScalarValue Masked = new("***");

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        foreach (var (name, value) in logEvent.Properties)
        {
            var masked = Mask(name, value);
            if (!ReferenceEquals(masked, value))
            {
                logEvent.AddOrUpdateProperty(new LogEventProperty(name, masked));
            }
        }
    }

    public static bool IsSecretName(string name)
    {
        foreach (var word in SecretWords)
        {
            if (name.Contains(word, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static LogEventPropertyValue Mask(string name, LogEventPropertyValue value)
    {
        if (IsSecretName(name))
        {
            return Masked;
        }

        switch (value)
        {
            case StructureValue structure:
                {
                    var changed = false;
                    var properties = new List<LogEventProperty>(structure.Properties.Count);
                    foreach (var property in structure.Properties)
                    {
                        var inner = Mask(property.Name, property.Value);
                        changed |= !ReferenceEquals(inner, property.Value);
                        properties.Add(new LogEventProperty(property.Name, inner));
                    }

                    return changed ? new StructureValue(properties, structure.TypeTag) : value;
                }

            case DictionaryValue dictionary:
                {
                    var changed = false;
                    var elements = new List<KeyValuePair<ScalarValue, LogEventPropertyValue>>(dictionary.Elements.Count);
                    foreach (var (key, element) in dictionary.Elements)
                    {
                        var inner = Mask(key.Value?.ToString() ?? "", element);
                        changed |= !ReferenceEquals(inner, element);
                        elements.Add(new(key, inner));
                    }

                    return changed ? new DictionaryValue(elements) : value;
                }

            case ScalarValue { Value: string text } when Security.OperatorKeyText.Masked(text) is var masked && !ReferenceEquals(masked, text):
                return new ScalarValue(masked);

            default:
                return value;
        }
    }
}
