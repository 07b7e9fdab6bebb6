using System.Text;
using Integration.Testing;
using Integration.Workflows.Webhooks;

namespace Integration.Workflows.Tests.Webhooks;

public sealed class WebhookSignatureTests
{
    // Vectors from shared/fixtures/*/README.md: base64 HMAC-SHA256 of each file's exact bytes under the key "hush".
    [Theory]
    [InlineData("shopify/orders-create.shopify-docs-2026-04.json", "UQKXYpYhM0t1xveXy1pquBoezRO0o9diJy041+DzZeE=")]
    [InlineData("shopify/refunds-create.shopify-docs-2026-04.json", "ZvEkh2HZex9itznJ5cclQT7nfSHmOmn6rvulL2Kl+uU=")]
    [InlineData("shopify/customers-create.shopify-docs-2026-04.json", "PJasYweD9q/6loRAV4MRoj7QtKshu/xSLm/m2+n2Cak=")]
    [InlineData("woocommerce/order-created.wc-rest-docs-v3.json", "z5WgKizz0lB6jg96CXmdO5pkbno7RSHkyGToV7RkdOY=")]
    [InlineData("woocommerce/order-created.frappe-ecommerce-integrations-test.json", "Jiss/8WUXnM3jxMXjAFuVrroWXB+itw1VGQet0IBCKo=")]
    public void Fixture_signatures_match_the_published_vectors(string fixture, string expected)
    {
        var body = RepoPaths.Fixture(fixture);
        var key = Encoding.ASCII.GetBytes("hush");

        Assert.Equal(expected, WebhookSignature.Compute(body, key));
        Assert.True(WebhookSignature.Matches(body, key, expected));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("UQKXYpYhM0t1xveXy1pquBoezRO0o9diJy041+DzZeA=")]
    [InlineData("UQKXYpYhM0t1xveXy1pquBoezRO0o9di")]
    public void Anything_but_the_exact_signature_is_refused(string? presented)
    {
        var body = RepoPaths.Fixture("shopify/orders-create.shopify-docs-2026-04.json");

        Assert.False(WebhookSignature.Matches(body, Encoding.ASCII.GetBytes("hush"), presented));
    }
}
