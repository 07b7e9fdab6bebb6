using System.Text.Json.Nodes;

namespace Integration.Connectors.Shopify.Client;

/// <summary>A mutation answered with <c>userErrors</c>: the input was refused, nothing (or only part) was done.</summary>
public sealed class ShopifyUserErrorException(string store, string operation, IReadOnlyList<ShopifyUserError> errors)
    : ShopifyException(store, operation, string.Join("; ", errors.Select(e => $"{string.Join('.', e.Field)} {e.Code}: {e.Message}")))
{
    public IReadOnlyList<ShopifyUserError> Errors { get; } = errors;

    /// <summary>The <c>userErrors</c> of a mutation payload; empty when there are none.</summary>
    internal static IReadOnlyList<ShopifyUserError> Read(JsonNode? payload) =>
        payload?["userErrors"] is JsonArray errors
            ? errors.OfType<JsonObject>().Select(e => new ShopifyUserError(
                e["field"] is JsonArray field ? field.Select(f => f?.ToString() ?? "").ToArray() : [],
                e["code"]?.GetValue<string>(),
                e["message"]?.GetValue<string>() ?? "")).ToArray()
            : [];
}

/// <summary>One user error: the input path (<c>field</c>), a stable code when the mutation has one, and the message.</summary>
public sealed record ShopifyUserError(IReadOnlyList<string> Field, string? Code, string Message);
