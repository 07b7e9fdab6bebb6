using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;

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
        // The same number as a store keeps it without the country code (WooCommerce's billing phone).
        var (byLocalPhone, _) = await erp.PostAsync("/api/erp/customers", new { company, name = "Sara N.", phone = "0111 222 3334" });
        var (allowed, _) = await erp.PostAsync("/api/erp/customers", new { company, name = "Sara N", phone = "+201112223334", allowDuplicate = true });
        var (otherNumber, _) = await erp.PostAsync("/api/erp/customers", new { company, name = "Omar N", phone = "+201112223335" });

        Assert.Equal(HttpStatusCode.Conflict, byEmail);
        Assert.Equal("duplicate-customer", problem.GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.Conflict, byPhone);
        Assert.Equal(HttpStatusCode.Conflict, byLocalPhone);
        Assert.Equal(HttpStatusCode.Created, allowed);
        Assert.Equal(HttpStatusCode.Created, otherNumber);
        // A search by phone finds the number as the duplicate check does.
        var found = await erp.GetJsonAsync($"/api/erp/customers?company={company}&phone=0111%20222%203334");
        Assert.Equal(2, found.GetArrayLength());
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

    [Fact]
    public async Task A_store_customer_is_linked_to_an_existing_customer_and_one_linked_elsewhere_moves_only_when_asked()
    {
        var company = await erp.NewCompanyAsync();
        var (_, mona) = await erp.PostAsync("/api/erp/customers", new { company, name = "Mona Hassan", email = "mona@example.com",
            externalIds = new[] { new { source = "woocommerce", store = "cairo", id = "17" } } });
        var (_, twin) = await erp.PostAsync("/api/erp/customers", new { company, name = "Mona H.", allowDuplicate = true,
            externalIds = new[] { new { source = "woocommerce", store = "alex", id = "17" } } });
        var (monaId, twinId) = (mona.GetProperty("id").GetString()!, twin.GetProperty("id").GetString()!);

        // The Alexandria store's customer 17 is the same person: linked to Mona it is refused while the twin holds it.
        var (refused, problem) = await erp.PostAsync($"/api/erp/customers/{monaId}/external-ids", new { company, source = "woocommerce", store = "alex", id = "17" });
        Assert.Equal(HttpStatusCode.Conflict, refused);
        Assert.Equal("external-id-linked", problem.GetProperty("type").GetString());
        Assert.Contains(twinId, problem.GetProperty("detail").GetString());

        var (moved, linked) = await erp.PostAsync($"/api/erp/customers/{monaId}/external-ids", new { company, source = "woocommerce", store = "alex", id = "17", move = true });
        Assert.True(moved == HttpStatusCode.OK, linked.ToString());
        Assert.Equal(["alex/17", "cairo/17"], linked.GetProperty("externalIds").EnumerateArray()
            .Select(e => e.GetProperty("store").GetString() + "/" + e.GetProperty("id").GetString()).Order());
        Assert.Empty((await erp.GetJsonAsync($"/api/erp/customers/{twinId}?company={company}")).GetProperty("externalIds").EnumerateArray());
        // The store's id now finds Mona: a customer created again from it is her.
        var (_, again) = await erp.PostAsync("/api/erp/customers", new { company, name = "Mona", externalIds = new[] { new { source = "woocommerce", store = "alex", id = "17" } } });
        Assert.Equal(monaId, again.GetProperty("id").GetString());

        using var unlinked = await erp.Client.DeleteAsync($"/api/erp/customers/{monaId}/external-ids/woocommerce/alex/17?company={company}");
        Assert.Equal(HttpStatusCode.OK, unlinked.StatusCode);
        using var gone = await erp.Client.DeleteAsync($"/api/erp/customers/{monaId}/external-ids/woocommerce/alex/17?company={company}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task A_store_sync_made_from_an_older_read_writes_only_what_it_changed_and_keeps_a_credit_limit_saved_meanwhile()
    {
        var company = await erp.NewCompanyAsync();
        var (_, created) = await erp.PostAsync("/api/erp/customers", new { company, name = "Hany Fawzy", email = "hany@example.com", creditLimit = 1000 });
        var id = created.GetProperty("id").GetString()!;
        var customers = erp.Services.GetRequiredService<Integration.Erp.Customers.CustomerRegister>();

        // A store's webhook is mapped from the customer as read now; meanwhile an accountant raises the credit limit.
        var read = (await customers.GetAsync(company, id, CancellationToken.None))!;
        using (var put = await erp.Client.PutAsJsonAsync($"/api/erp/customers/{id}", new { company, creditLimit = 5000 }))
        {
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }

        var (saved, changed) = await customers.UpdateAsync(read with { Email = "hany.fawzy@example.com" }, read, CancellationToken.None);

        Assert.True(changed);
        Assert.Equal("hany.fawzy@example.com", saved.Email);
        Assert.Equal(5000m, saved.CreditLimit); // before, the read's 1000 was written back and announced as a change
        var now = await erp.GetJsonAsync($"/api/erp/customers/{id}?company={company}");
        Assert.Equal(5000m, now.GetProperty("creditLimit").GetDecimal());
    }
}
