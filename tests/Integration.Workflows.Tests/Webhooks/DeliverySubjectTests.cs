using System.Text;
using System.Text.Json.Nodes;
using Integration.Testing;
using Integration.Workflows.Webhooks;

namespace Integration.Workflows.Tests.Webhooks;

public sealed class DeliverySubjectTests
{
    [Theory]
    [InlineData("shopify/orders-create.shopify-docs-2026-04.json", "order", "updated_at", "order:820982911946154500", "2022-01-01T00:00:00Z")]
    [InlineData("shopify/customers-create.shopify-docs-2026-04.json", "customer", "updated_at", "customer:706405506930370000", "2022-01-01T00:00:00Z")]
    [InlineData("woocommerce/order-created.wc-rest-docs-v3.json", "order", "date_modified_gmt", "order:727", "2017-03-22T19:28:08Z")]
    [InlineData("woocommerce/order-created.frappe-ecommerce-integrations-test.json", "order", "date_modified_gmt", "order:205", "2021-11-30T07:32:11Z")]
    public void A_payload_names_its_record_and_version_read_from_the_raw_bytes_and_from_the_parsed_document_alike(
        string fixture, string kind, string versionProperty, string key, string version)
    {
        var body = RepoPaths.Fixture(fixture);
        var expected = new DeliverySubject(key, DateTimeOffset.Parse(version, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(expected, DeliverySubject.Read(body, kind, "id"u8, Encoding.UTF8.GetBytes(versionProperty)));
        Assert.Equal(expected, DeliverySubject.From(JsonNode.Parse(body), kind, "id", versionProperty));
    }

    [Theory]
    [InlineData("""{"id":9007199254740993,"updated_at":"2026-11-30T10:00:00+02:00"}""", "order:9007199254740993")] // above 2^53: the digits as sent
    [InlineData("""{"line_items":[{"id":1,"updated_at":"2020-01-01T00:00:00Z"}],"updated_at":"2026-11-30T10:00:00+02:00","id":"gid-7"}""", "order:gid-7")] // nested ids are not the record's
    public void The_id_is_the_top_level_one_kept_as_sent(string json, string key)
    {
        var subject = DeliverySubject.Read(Encoding.UTF8.GetBytes(json), "order", "id"u8, "updated_at"u8);

        Assert.Equal(key, subject?.Key);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero), subject?.Version);
        Assert.Equal(subject, DeliverySubject.From(JsonNode.Parse(json), "order", "id", "updated_at"));
    }

    [Theory]
    [InlineData("""{"id":5}""")] // orders/delete: no version
    [InlineData("""{"updated_at":"2026-11-30T10:00:00Z"}""")]
    [InlineData("""{"id":5,"updated_at":"yesterday"}""")]
    [InlineData("""{"id":null,"updated_at":"2026-11-30T10:00:00Z"}""")]
    [InlineData("""[{"id":5,"updated_at":"2026-11-30T10:00:00Z"}]""")]
    [InlineData("""{"id":5,"updated_at":"2026-11-30T10:00:00Z" """)] // cut short: the inbox poisons it, the reader does not throw
    [InlineData("webhook_id=12")]
    public void A_payload_without_a_readable_id_and_version_has_no_subject(string json)
    {
        Assert.Null(DeliverySubject.Read(Encoding.UTF8.GetBytes(json), "order", "id"u8, "updated_at"u8));
    }
}
