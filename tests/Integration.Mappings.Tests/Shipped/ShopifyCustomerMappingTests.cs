using System.Text.Json.Nodes;
using Integration.Mappings.Definitions;
using Integration.Mappings.Engine;

namespace Integration.Mappings.Tests.Shipped;

public sealed class ShopifyCustomerMappingTests
{
    private const string Id = "shopify-customer__erp-customer";

    private static readonly MappingContext Context = new()
    {
        Store = "jsmith.myshopify.com",
        Values = new Dictionary<string, JsonNode?> { ["company"] = "EG01" },
    };

    [Fact]
    public async Task A_new_shopify_customer_becomes_an_erp_customer_field_by_field()
    {
        var kit = MappingTestKit.Shipped();
        var customer = MappingTestKit.Fixture("shopify/customers-create.shopify-docs-2026-04.json");

        var result = await kit.Mapper.ApplyAsync(Id, MappingDirection.LeftToRight, customer, null, Context);

        Assert.True(result.Succeeded, string.Join("; ", result.Failed.Select(f => $"{f.Field}: {f.Reason}")));
        var doc = result.Document.AsObject();
        Assert.Equal("EG01", (string?)doc["company"]);
        Assert.Equal("Bob Biller", (string?)doc["name"]);
        Assert.Equal("bob@biller.com", (string?)doc["email"]);
        Assert.Equal("555-555-5555", (string?)doc["phone"]); // the customer has none: the default address's
        Assert.Equal("Person", (string?)doc["customerType"]); // ERP-mastered, seeded on create
        Assert.False(doc.ContainsKey("creditLimit")); // ERP-mastered: the ERP's default applies
        Assert.False(doc.ContainsKey("customerGroup"));
        Assert.Equal("151 O'Connor Street", (string?)doc["billingAddress"]!["line1"]);
        Assert.Equal("Ottawa", (string?)doc["billingAddress"]!["city"]);
        Assert.Equal("ON", (string?)doc["billingAddress"]!["region"]);
        Assert.Equal("K2P 2L8", (string?)doc["billingAddress"]!["postcode"]);
        Assert.Equal("CA", (string?)doc["billingAddress"]!["country"]);
        Assert.Equal("shopify", (string?)doc["externalIds"]![0]!["source"]);
        Assert.Equal("jsmith.myshopify.com", (string?)doc["externalIds"]![0]!["store"]);
        Assert.Equal("gid://shopify/Customer/706405506930370084", (string?)doc["externalIds"]![0]!["id"]);
    }

    [Fact]
    public async Task Store_changes_to_erp_mastered_fields_are_skipped_and_contact_changes_flow()
    {
        var kit = MappingTestKit.Shipped();
        var customer = MappingTestKit.Fixture("shopify/customers-create.shopify-docs-2026-04.json").AsObject();
        customer["email"] = "bob.new@biller.com";
        customer["metafields"] = new JsonArray(new JsonObject { ["key"] = "credit_limit", ["value"] = "999999" });
        var current = MappingTestKit.Json("""
            { "id": "CUST-0001", "company": "EG01", "name": "Bob Biller", "email": "bob@biller.com", "phone": "555-555-5555", "customerType": "Person",
              "creditLimit": 5000, "customerGroup": "Retail",
              "billingAddress": { "name": "Bob Biller", "line1": "151 O'Connor Street", "city": "Ottawa", "region": "ON", "postcode": "K2P 2L8", "country": "CA", "phone": "555-555-5555" } }
            """);

        var result = await kit.Mapper.ApplyAsync(Id, MappingDirection.LeftToRight, customer, current, Context);

        var written = Assert.Single(result.Written);
        Assert.True(result.Written.Count == 1, string.Join(", ", result.Written.Select(w => $"{w.Field}={w.Value?.ToJsonString()} was {w.Previous?.ToJsonString()}")));
        Assert.Equal("email", written.Field);
        Assert.Equal("bob.new@biller.com", (string?)result.Changes["email"]);
        Assert.Contains(result.Skipped, s => s.Field == "creditLimit" && s.Reason == SkipReason.NotMaster);
        Assert.Contains(result.Skipped, s => s.Field == "customerGroup" && s.Reason == SkipReason.NotMaster);
        Assert.Contains(result.Skipped, s => s.Field == "name" && s.Reason == SkipReason.Unchanged);
        Assert.Contains(result.Skipped, s => s.Field == "externalId" && s.Reason == SkipReason.CreateOnly);
        Assert.Equal(5000m, (decimal)result.Document["creditLimit"]!);
        Assert.False(result.Changes.ContainsKey("creditLimit"));
    }

    [Fact]
    public async Task Erp_credit_limit_and_group_flow_to_the_store_and_contact_details_do_not()
    {
        var kit = MappingTestKit.Shipped();
        var erp = MappingTestKit.Json("""
            { "id": "CUST-0001", "company": "EG01", "name": "Robert Biller", "email": "typo@biller.com", "creditLimit": 7500.00, "customerGroup": "Wholesale" }
            """);
        var shopify = MappingTestKit.Fixture("shopify/customers-create.shopify-docs-2026-04.json");

        var result = await kit.Mapper.ApplyAsync(Id, "erp", erp, shopify, Context);

        Assert.Equal("7500.00", (string?)result.Changes["metafields"]!.AsArray().Single(m => (string?)m!["key"] == "credit_limit")!["value"]);
        Assert.Equal("Wholesale", (string?)result.Changes["metafields"]!.AsArray().Single(m => (string?)m!["key"] == "customer_group")!["value"]);
        Assert.False(result.Changes.ContainsKey("email"));
        Assert.Contains(result.Skipped, s => s.Field == "email" && s.Reason == SkipReason.NotMaster);
        Assert.Contains(result.Skipped, s => s.Field == "name" && s.Reason == SkipReason.NotMaster);
        Assert.Equal("bob@biller.com", (string?)result.Document["email"]);
    }
}
