using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Integration.Testing;

namespace Integration.Host.Tests.Flows;

/// <summary>
/// <c>Erp.UpsertCustomer</c> with a mapping that links a store's customer to the ERP customer with its email
/// (<c>onMatch: link</c>): the match is taken only in the flow's company and only while that customer still has the email.
/// </summary>
public sealed class CustomerLinkOnMatchTests
{
    [Fact]
    public async Task A_store_customer_is_linked_by_email_within_its_company_never_to_another_companys_customer_with_the_same_number()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("customerlink");
        var (flows, mappings) = await FilesAsync();
        await using var host = FlowHost.Create(database, flows, builder => builder.UseSetting("Mappings:Directory", mappings));
        using var client = host.CreateClient();
        foreach (var company in new[] { "NORTH", "SOUTH" })
        {
            using var created = await client.PostAsJsonAsync("/api/erp/companies", new { id = company, name = company + " retail", currency = "EGP" });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var mona = await UpsertAsync(client, "NORTH", "north-shop", new { id = 1, first_name = "Mona", last_name = "Adel", email = "mona@example.com" });
        var karim = await UpsertAsync(client, "SOUTH", "south-shop", new { id = 7, first_name = "Karim", last_name = "Said", email = "karim@example.com" });
        Assert.Equal(("CUST-000001", "Created"), mona);
        Assert.Equal(("CUST-000001", "Created"), karim);

        // Mona buys in the south company's store: north's CUST-000001 has her email, south's CUST-000001 is Karim.
        var monaInSouth = await UpsertAsync(client, "SOUTH", "south-shop", new { id = 8, first_name = "Mona", last_name = "Adel", email = "Mona@Example.com" });
        // Mona in a second store of her own company is linked to her customer there.
        var monaInNorthWeb = await UpsertAsync(client, "NORTH", "north-web", new { id = 31, first_name = "Mona", last_name = "Adel", email = "MONA@example.com" });

        Assert.Equal(("CUST-000002", "Created"), monaInSouth);
        var southsFirst = await CustomerAsync(client, "SOUTH", "CUST-000001");
        Assert.Equal("Karim Said", southsFirst.GetProperty("name").GetString());
        Assert.Equal("karim@example.com", southsFirst.GetProperty("email").GetString());
        Assert.Equal("CUST-000001", monaInNorthWeb.Id);
        var north = await CustomerAsync(client, "NORTH", "CUST-000001");
        Assert.Equal(["north-shop", "north-web"], north.GetProperty("externalIds").EnumerateArray().Select(e => e.GetProperty("store").GetString()).Order());
    }

    [Fact]
    public async Task A_customer_whose_email_changed_is_not_linked_by_the_email_it_had()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("customerlinkstale");
        var (flows, mappings) = await FilesAsync();
        await using var host = FlowHost.Create(database, flows, builder => builder.UseSetting("Mappings:Directory", mappings));
        using var client = host.CreateClient();
        using (var created = await client.PostAsJsonAsync("/api/erp/companies", new { id = "NORTH", name = "North retail", currency = "EGP" }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        Assert.Equal(("CUST-000001", "Created"), await UpsertAsync(client, "NORTH", "north-shop", new { id = 1, first_name = "Mona", last_name = "Adel", email = "mona@example.com" }));
        // The same store customer changes her email; the old one is remembered as a match value of CUST-000001.
        Assert.Equal(("CUST-000001", "Updated"), await UpsertAsync(client, "NORTH", "north-shop", new { id = 1, first_name = "Mona", last_name = "Adel", email = "mona.adel@example.com" }));

        // Someone else registers in another store with the address Mona gave up.
        var other = await UpsertAsync(client, "NORTH", "north-web", new { id = 40, first_name = "Nour", last_name = "Hany", email = "mona@example.com" });

        Assert.Equal(("CUST-000002", "Created"), other);
        var first = await CustomerAsync(client, "NORTH", "CUST-000001");
        Assert.Equal("Mona Adel", first.GetProperty("name").GetString());
        Assert.Equal("mona.adel@example.com", first.GetProperty("email").GetString());
    }

    private static async Task<(string Id, string Action)> UpsertAsync(HttpClient client, string company, string store, object customer)
    {
        using var response = await client.PostAsJsonAsync("/workflows/customers/upsert", new { company, store, customer });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var answer = JsonDocument.Parse(body).RootElement;
        return (answer.GetProperty("customerId").GetString()!, answer.GetProperty("action").GetString()!);
    }

    private static async Task<JsonElement> CustomerAsync(HttpClient client, string company, string id) =>
        JsonDocument.Parse(await client.GetStringAsync($"/api/erp/customers/{id}?company={company}")).RootElement;

    private static async Task<(string Flows, string Mappings)> FilesAsync()
    {
        var flows = Directory.CreateTempSubdirectory("flows-customer-link-").FullName;
        var mappings = Directory.CreateTempSubdirectory("mappings-customer-link-").FullName;
        await File.WriteAllTextAsync(Path.Combine(flows, "customer-upsert.json"), """
            { "definitionId": "customer-upsert", "version": 1,
              "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "endpoint", "type": "Elsa.HttpEndpoint", "version": 1,
                    "path": { "typeName": "String", "expression": { "type": "Literal", "value": "customers/upsert" } },
                    "supportedMethods": { "typeName": "String[]", "expression": { "type": "Object", "value": "[\"POST\"]" } },
                    "customProperties": { "canStartWorkflow": true } },
                  { "id": "customer", "type": "Erp.UpsertCustomer", "version": 1,
                    "mapping": "shopify-customer__erp-customer",
                    "document": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "getOutputFrom('endpoint', 'parsedContent').customer" } },
                    "store": { "typeName": "String", "expression": { "type": "JavaScript", "value": "getOutputFrom('endpoint', 'parsedContent').store" } },
                    "values": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "({ company: getOutputFrom('endpoint', 'parsedContent').company })" } } },
                  { "id": "respond", "type": "Elsa.WriteHttpResponse", "version": 1,
                    "content": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "toJson({ customerId: getOutputFrom('customer', 'customerId'), action: getOutputFrom('customer', 'action') })" } },
                    "contentType": { "typeName": "String", "expression": { "type": "Literal", "value": "application/json" } } }
                ],
                "connections": [
                  { "source": { "activity": "endpoint", "port": "Done" }, "target": { "activity": "customer", "port": "In" } },
                  { "source": { "activity": "customer", "port": "Done" }, "target": { "activity": "respond", "port": "In" } }
                ] } }
            """);
        await File.WriteAllTextAsync(Path.Combine(mappings, "shopify-customer__erp-customer.json"), """
            {
              "id": "shopify-customer__erp-customer",
              "version": 1,
              "left": { "system": "shopify", "entity": "customer", "id": "id" },
              "right": { "system": "erp", "entity": "customer", "id": "id" },
              "identity": { "keyMap": true, "match": [ { "name": "email", "left": "email", "right": "email" } ], "onMatch": "link" },
              "fields": [
                { "name": "company", "left": "@company", "right": "company", "master": "shopify", "required": true },
                { "name": "name", "left": "first_name", "right": "name", "master": "shopify", "required": true,
                  "transform": { "type": "concat", "with": ["last_name"], "separator": " " } },
                { "name": "email", "left": "email", "right": "email", "master": "shopify" }
              ]
            }
            """);
        return (flows, mappings);
    }
}
