using System.Net;
using System.Net.Http.Json;

namespace Integration.Erp.Tests.Customers;

public sealed class CustomerTests(ErpHost erp) : IClassFixture<ErpHost>
{
    [Fact]
    public async Task A_customer_known_by_its_store_id_is_returned_not_created_again()
    {
        var company = await erp.NewCompanyAsync();
        var request = new { company, name = "Omar Adel", email = "omar@example.com", externalIds = new[] { new { source = "shopify", store = "retail-eg.myshopify.com", id = "706405506930370084" } } };

        var (created, first) = await erp.PostAsync("/api/erp/customers", request);
        var (again, second) = await erp.PostAsync("/api/erp/customers", request with { email = "changed@example.com" });

        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal(first.GetProperty("id").GetString(), second.GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_new_customer_with_the_email_or_phone_of_another_is_flagged_as_a_duplicate()
    {
        var company = await erp.NewCompanyAsync();
        await erp.PostAsync("/api/erp/customers", new { company, name = "Sara Nabil", email = "Sara@Example.com", phone = "+201112223334" });

        var (byEmail, problem) = await erp.PostAsync("/api/erp/customers", new { company, name = "S. Nabil", email = "sara@example.com" });
        var (byPhone, _) = await erp.PostAsync("/api/erp/customers", new { company, name = "Sara N", phone = "+201112223334" });
        var (allowed, _) = await erp.PostAsync("/api/erp/customers", new { company, name = "Sara N", phone = "+201112223334", allowDuplicate = true });

        Assert.Equal(HttpStatusCode.Conflict, byEmail);
        Assert.Equal("duplicate-customer", problem.GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.Conflict, byPhone);
        Assert.Equal(HttpStatusCode.Created, allowed);
    }

    [Fact]
    public async Task Changing_a_customer_announces_the_fields_it_touched_and_the_same_values_again_announce_nothing()
    {
        var company = await erp.NewCompanyAsync();
        var (_, created) = await erp.PostAsync("/api/erp/customers", new { company, name = "Laila Fathy", email = "laila@example.com" });
        var id = created.GetProperty("id").GetString()!;

        using var first = await erp.Client.PutAsJsonAsync($"/api/erp/customers/{id}", new { company, creditLimit = 5000, taxId = "EG-123" });
        using var again = await erp.Client.PutAsJsonAsync($"/api/erp/customers/{id}", new { company, creditLimit = 5000 });

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var customer = await erp.GetJsonAsync($"/api/erp/customers/{id}?company={company}");
        Assert.Equal(5000m, customer.GetProperty("creditLimit").GetDecimal());
        Assert.Equal("Laila Fathy", customer.GetProperty("name").GetString());
        await using var connection = await erp.OpenAsync();
        var events = (await Dapper.SqlMapper.QueryAsync<string>(connection,
            "SELECT payload->>'changed' FROM integration.outbox WHERE topic = 'erp.customer.changed' AND company = @company AND entity_key = @id", new { company, id })).ToList();
        Assert.Equal("[\"taxId\", \"creditLimit\"]", Assert.Single(events));
    }
}
