using System.Text;
using Integration.Connectors.Eta.Canonical;
using Integration.Testing;

namespace Integration.Connectors.Eta.Tests.Canonical;

public sealed class EtaUuidTests
{
    [Theory]
    [InlineData("receipt-chain-1-sale", "96a64a678a4ad57f6aff2f1dbbc5b86ec7cdd6a280ae0f4e861a5e51cd197747")]
    [InlineData("receipt-chain-2-sale", "303157e48405bed1a4794c0616f654a9e5d1b6652629121c056ca7383e881547")]
    public void The_fixture_receipts_hash_to_their_published_uuids(string name, string expected)
    {
        var json = Encoding.UTF8.GetString(RepoPaths.Fixture($"eta/{name}.json"));
        var canonical = Encoding.UTF8.GetString(RepoPaths.Fixture($"eta/{name}.serialized.txt"));

        Assert.Equal(canonical, EtaCanonicalForm.Serialize(json, blankUuid: true));
        Assert.Equal(expected, EtaUuid.Compute(json));
    }

    [Fact]
    public void The_uuid_ignores_a_uuid_already_in_the_header()
    {
        var json = Encoding.UTF8.GetString(RepoPaths.Fixture("eta/receipt-chain-1-sale.json"));
        var stamped = json.Replace("\"uuid\": \"\"", "\"uuid\": \"96a64a678a4ad57f6aff2f1dbbc5b86ec7cdd6a280ae0f4e861a5e51cd197747\"", StringComparison.Ordinal);
        Assert.NotEqual(json, stamped);

        Assert.Equal("96a64a678a4ad57f6aff2f1dbbc5b86ec7cdd6a280ae0f4e861a5e51cd197747", EtaUuid.Compute(stamped));
    }

    [Fact]
    public void Numbers_are_hashed_as_written()
    {
        var json = Encoding.UTF8.GetString(RepoPaths.Fixture("eta/receipt-chain-1-sale.json"));
        var padded = json.Replace("\"unitPrice\": 250,", "\"unitPrice\": 250.00,", StringComparison.Ordinal);
        Assert.NotEqual(json, padded);

        Assert.Contains("\"UNITPRICE\"\"250.00\"", EtaCanonicalForm.Serialize(padded), StringComparison.Ordinal);
        Assert.NotEqual(EtaUuid.Compute(json), EtaUuid.Compute(padded));
    }

    [Fact]
    public void An_array_name_is_written_once_and_before_each_element_and_nested_uuids_are_kept()
    {
        var canonical = EtaCanonicalForm.Serialize("""{"header":{"uuid":"x"},"a":[{"uuid":"y"},{"b":1.0}],"e":[]}""", blankUuid: true);

        Assert.Equal("\"HEADER\"\"UUID\"\"\"\"A\"\"A\"\"UUID\"\"y\"\"A\"\"B\"\"1.0\"\"E\"", canonical);
    }

    [Theory]
    [InlineData("250.00", "250")]
    [InlineData("13.99860", "13.9986")]
    [InlineData("1.234565", "1.23457")]
    [InlineData("-1.234565", "-1.23457")]
    [InlineData("0.000004", "0")]
    public void Amounts_are_rounded_to_five_places_without_trailing_zeros(string input, string expected) =>
        Assert.Equal(expected, EtaAmount.Round(decimal.Parse(input, System.Globalization.CultureInfo.InvariantCulture)).ToString(System.Globalization.CultureInfo.InvariantCulture));
}
