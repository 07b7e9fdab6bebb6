using System.Text;
using Integration.Workflows.Webhooks;

namespace Integration.Workflows.Tests.Webhooks;

public sealed class DeliveryFingerprintTests
{
    private const string Order = """{"id":450789469,"updated_at":"2026-11-24T10:00:00-05:00","note":null,"customer":{"id":1,"updated_at":"2026-11-20T08:00:00-05:00"},"line_items":[{"id":7,"quantity":2}]}""";

    [Theory]
    // Only the top-level version moved: the same record.
    [InlineData("""{"id":450789469,"updated_at":"2026-11-24T10:09:59-05:00","note":null,"customer":{"id":1,"updated_at":"2026-11-20T08:00:00-05:00"},"line_items":[{"id":7,"quantity":2}]}""", true)]
    // The version last, or first: where it stands does not matter, the rest of the bytes must be the same.
    [InlineData("""{"id":450789469,"note":null,"customer":{"id":1,"updated_at":"2026-11-20T08:00:00-05:00"},"line_items":[{"id":7,"quantity":2}],"updated_at":"x"}""", false)]
    // A line's quantity, a nested version (the customer's), a top-level field: changes.
    [InlineData("""{"id":450789469,"updated_at":"2026-11-24T10:00:00-05:00","note":null,"customer":{"id":1,"updated_at":"2026-11-20T08:00:00-05:00"},"line_items":[{"id":7,"quantity":3}]}""", false)]
    [InlineData("""{"id":450789469,"updated_at":"2026-11-24T10:00:00-05:00","note":null,"customer":{"id":1,"updated_at":"2026-11-24T10:00:00-05:00"},"line_items":[{"id":7,"quantity":2}]}""", false)]
    [InlineData("""{"id":450789469,"updated_at":"2026-11-24T10:00:00-05:00","note":"gift","customer":{"id":1,"updated_at":"2026-11-20T08:00:00-05:00"},"line_items":[{"id":7,"quantity":2}]}""", false)]
    public void Deliveries_have_the_same_fingerprint_when_only_the_version_differs(string other, bool same)
    {
        var first = DeliveryFingerprint.Of(Encoding.UTF8.GetBytes(Order), "updated_at"u8);
        var second = DeliveryFingerprint.Of(Encoding.UTF8.GetBytes(other), "updated_at"u8);

        Assert.NotNull(first);
        Assert.Equal(32, first.Length);
        Assert.Equal(same, first.AsSpan().SequenceEqual(second));
    }

    [Fact]
    public void WooCommerce_leaves_out_both_of_its_version_properties()
    {
        var before = """{"id":55,"date_modified":"2026-11-24T12:00:00","date_modified_gmt":"2026-11-24T10:00:00","status":"processing"}""";
        var after = """{"id":55,"date_modified":"2026-11-24T12:05:00","date_modified_gmt":"2026-11-24T10:05:00","status":"processing"}""";

        Assert.Equal(
            DeliveryFingerprint.Of(Encoding.UTF8.GetBytes(before), "date_modified_gmt"u8, "date_modified"u8),
            DeliveryFingerprint.Of(Encoding.UTF8.GetBytes(after), "date_modified_gmt"u8, "date_modified"u8));
        Assert.NotEqual(
            DeliveryFingerprint.Of(Encoding.UTF8.GetBytes(before), "date_modified_gmt"u8),
            DeliveryFingerprint.Of(Encoding.UTF8.GetBytes(after), "date_modified_gmt"u8));
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("\"text\"")]
    [InlineData("{\"id\":1,")]
    [InlineData("not json")]
    public void A_body_that_is_not_a_whole_JSON_object_has_none(string body) =>
        Assert.Null(DeliveryFingerprint.Of(Encoding.UTF8.GetBytes(body), "updated_at"u8));
}
