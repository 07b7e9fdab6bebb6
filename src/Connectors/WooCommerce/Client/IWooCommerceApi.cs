using System.Text.Json.Nodes;
using Refit;

namespace Integration.Connectors.WooCommerce.Client;

/// <summary>
/// The WooCommerce REST API v3 (<c>/wp-json/wc/v3</c>) endpoints the connector uses. Answers are read raw: the status,
/// the pagination headers and WooCommerce's error body (<c>{code, message, data.status}</c>) all matter. Null query
/// values are left out of the URL.
/// </summary>
internal interface IWooCommerceApi
{
    [Get("/wp-json/wc/v3/system_status")]
    Task<HttpResponseMessage> SystemStatusAsync(CancellationToken cancellationToken);

    [Get("/wp-json/wc/v3/orders/{id}")]
    Task<HttpResponseMessage> GetOrderAsync(long id, CancellationToken cancellationToken);

    [Get("/wp-json/wc/v3/orders")]
    Task<HttpResponseMessage> ListOrdersAsync(
        int page,
        [AliasAs("per_page")] int perPage,
        [AliasAs("modified_after")] string? modifiedAfter,
        [AliasAs("dates_are_gmt")] bool? datesAreGmt,
        string? orderby,
        string? order,
        string? status,
        CancellationToken cancellationToken);

    [Put("/wp-json/wc/v3/orders/{id}")]
    Task<HttpResponseMessage> UpdateOrderAsync(long id, [Body] JsonObject changes, CancellationToken cancellationToken);

    [Post("/wp-json/wc/v3/orders/batch")]
    Task<HttpResponseMessage> BatchOrdersAsync([Body] JsonObject batch, CancellationToken cancellationToken);

    [Get("/wp-json/wc/v3/orders/{id}/notes")]
    Task<HttpResponseMessage> ListOrderNotesAsync(long id, CancellationToken cancellationToken);

    [Post("/wp-json/wc/v3/orders/{id}/notes")]
    Task<HttpResponseMessage> CreateOrderNoteAsync(long id, [Body] JsonObject note, CancellationToken cancellationToken);

    [Get("/wp-json/wc/v3/orders/{id}/refunds")]
    Task<HttpResponseMessage> ListRefundsAsync(long id, int page, [AliasAs("per_page")] int perPage, CancellationToken cancellationToken);

    [Post("/wp-json/wc/v3/orders/{id}/refunds")]
    Task<HttpResponseMessage> CreateRefundAsync(long id, [Body] JsonObject refund, CancellationToken cancellationToken);

    [Get("/wp-json/wc/v3/customers/{id}")]
    Task<HttpResponseMessage> GetCustomerAsync(long id, CancellationToken cancellationToken);

    [Put("/wp-json/wc/v3/customers/{id}")]
    Task<HttpResponseMessage> UpdateCustomerAsync(long id, [Body] JsonObject changes, CancellationToken cancellationToken);

    [Get("/wp-json/wc/v3/customers")]
    Task<HttpResponseMessage> ListCustomersAsync(int page, [AliasAs("per_page")] int perPage, string? email, string? role, CancellationToken cancellationToken);

    [Post("/wp-json/wc/v3/customers/batch")]
    Task<HttpResponseMessage> BatchCustomersAsync([Body] JsonObject batch, CancellationToken cancellationToken);

    [Get("/wp-json/wc/v3/products/{id}")]
    Task<HttpResponseMessage> GetProductAsync(long id, CancellationToken cancellationToken);

    [Get("/wp-json/wc/v3/products")]
    Task<HttpResponseMessage> ListProductsAsync(
        int page,
        [AliasAs("per_page")] int perPage,
        string? sku,
        string? status,
        [AliasAs("modified_after")] string? modifiedAfter,
        [AliasAs("dates_are_gmt")] bool? datesAreGmt,
        CancellationToken cancellationToken);

    /// <summary>Products by id (<c>include</c>: ids, comma-separated), only the <c>_fields</c> named.</summary>
    [Get("/wp-json/wc/v3/products")]
    Task<HttpResponseMessage> ListProductsByIdAsync(string include, [AliasAs("per_page")] int perPage, [AliasAs("_fields")] string fields, CancellationToken cancellationToken);

    [Post("/wp-json/wc/v3/products/batch")]
    Task<HttpResponseMessage> BatchProductsAsync([Body] JsonObject batch, CancellationToken cancellationToken);

    [Get("/wp-json/wc/v3/products/{productId}/variations")]
    Task<HttpResponseMessage> ListVariationsAsync(long productId, int page, [AliasAs("per_page")] int perPage, CancellationToken cancellationToken);

    /// <summary>A variable product's variations by id (<c>include</c>: ids, comma-separated), only the <c>_fields</c> named.</summary>
    [Get("/wp-json/wc/v3/products/{productId}/variations")]
    Task<HttpResponseMessage> ListVariationsByIdAsync(long productId, string include, [AliasAs("per_page")] int perPage, [AliasAs("_fields")] string fields, CancellationToken cancellationToken);

    [Post("/wp-json/wc/v3/products/{productId}/variations/batch")]
    Task<HttpResponseMessage> BatchVariationsAsync(long productId, [Body] JsonObject batch, CancellationToken cancellationToken);

    [Get("/wp-json/wc/v3/products/categories/{id}")]
    Task<HttpResponseMessage> GetCategoryAsync(long id, CancellationToken cancellationToken);

    [Get("/wp-json/wc/v3/products/categories")]
    Task<HttpResponseMessage> ListCategoriesAsync(int page, [AliasAs("per_page")] int perPage, CancellationToken cancellationToken);

    [Post("/wp-json/wc/v3/products/categories/batch")]
    Task<HttpResponseMessage> BatchCategoriesAsync([Body] JsonObject batch, CancellationToken cancellationToken);

    [Get("/wp-json/wc/v3/webhooks")]
    Task<HttpResponseMessage> ListWebhooksAsync(int page, [AliasAs("per_page")] int perPage, CancellationToken cancellationToken);

    [Post("/wp-json/wc/v3/webhooks")]
    Task<HttpResponseMessage> CreateWebhookAsync([Body] JsonObject webhook, CancellationToken cancellationToken);

    [Put("/wp-json/wc/v3/webhooks/{id}")]
    Task<HttpResponseMessage> UpdateWebhookAsync(long id, [Body] JsonObject changes, CancellationToken cancellationToken);

    [Delete("/wp-json/wc/v3/webhooks/{id}")]
    Task<HttpResponseMessage> DeleteWebhookAsync(long id, bool force, CancellationToken cancellationToken);
}
