using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Integration.Erp.Tests.Items;

public sealed class ItemImageTests(ErpHost erp) : IClassFixture<ErpHost>
{
    [Fact]
    public async Task Images_are_kept_in_order_and_the_stores_hear_only_of_real_changes()
    {
        var company = await erp.NewCompanyAsync();
        await erp.PostAsync("/api/erp/items", new { company, sku = "BAG", name = "Bag" });
        var front = Image("front");
        var back = Image("back");

        var first = await PutAsync(company, [front, back]);
        var reordered = await PutAsync(company, [back, front]);
        var same = await PutAsync(company, [back, front]);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var images = (await reordered.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToList();
        Assert.Equal([back.checksum, front.checksum], images.Select(i => i.GetProperty("checksum").GetString()));
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        Assert.Equal(2, await erp.CountAsync("SELECT count(*) FROM integration.outbox WHERE company = @company AND payload->>'change' = 'images'", new { company }));
    }

    [Fact]
    public async Task An_image_without_a_proper_checksum_is_refused()
    {
        var company = await erp.NewCompanyAsync();
        await erp.PostAsync("/api/erp/items", new { company, sku = "BAG", name = "Bag" });

        var response = await PutAsync(company, [new { url = "https://cdn.example.com/x.jpg", checksum = "abc", altText = (string?)null }]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static dynamic Image(string name) => new
    {
        url = $"https://cdn.example.com/bag-{name}.jpg",
        checksum = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name))),
        altText = (string?)$"Bag, {name}",
    };

    private Task<HttpResponseMessage> PutAsync(string company, object[] images) =>
        erp.Client.PutAsJsonAsync($"/api/erp/items/BAG/images?company={company}", images, Integration.Testing.TestHost.Json);
}
