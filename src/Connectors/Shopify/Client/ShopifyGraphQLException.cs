namespace Integration.Connectors.Shopify.Client;

/// <summary>The answer carried top-level GraphQL <c>errors</c> (bad query, access denied, throttled after every retry).</summary>
public sealed class ShopifyGraphQLException(string store, string operation, IReadOnlyList<ShopifyGraphQLError> errors, System.Net.HttpStatusCode? status = null)
    : ShopifyException(store, operation, string.Join("; ", errors.Select(e => e.Code is null ? e.Message : $"{e.Code}: {e.Message}")), status)
{
    public IReadOnlyList<ShopifyGraphQLError> Errors { get; } = errors;

    /// <summary>One error says this code (e.g. <c>THROTTLED</c>, <c>ACCESS_DENIED</c>).</summary>
    public bool Has(string code) => Errors.Any(e => e.Code == code);

    public override bool IsTransient => Has("THROTTLED") || Has("INTERNAL_SERVER_ERROR") || base.IsTransient && Status is not System.Net.HttpStatusCode.OK;
}

/// <summary>One entry of <c>errors</c>: message, <c>extensions.code</c> and the path of the field, if given.</summary>
public sealed record ShopifyGraphQLError(string Message, string? Code, string? Path);
