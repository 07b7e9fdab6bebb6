using Refit;

namespace Integration.Connectors.Shopify.Client;

/// <summary>The GraphQL Admin API endpoint. The answer is read raw: throttling and errors live in its body.</summary>
internal interface IShopifyAdminApi
{
    [Post("/admin/api/{apiVersion}/graphql.json")]
    Task<HttpResponseMessage> GraphQLAsync(
        string apiVersion,
        [Body] GraphQLRequest request,
        [Header("X-Shopify-Access-Token")] string accessToken,
        CancellationToken cancellationToken);
}
