using System.Text.Json.Nodes;
using Integration.Mappings.Definitions;
using Integration.Mappings.Engine;

namespace Integration.Mappings.Tests.Engine;

/// <summary>The run's target writer builds the same JSON as writing each path into a <see cref="JsonObject"/> (<see cref="FieldPath.Write"/>).</summary>
public sealed class TargetChangesTests
{
    [Theory]
    // plain and nested members, kept in the order first written
    [InlineData("a=1", "b.c=\"x\"", "d=true", "b.e=null")]
    // a member rewritten keeps its place; a null member becomes an object when a path steps into it
    [InlineData("a=1", "b=2", "a=3", "c=null", "c.d=4")]
    // indexes: padded with objects on the way, with nulls at the end
    [InlineData("ids[1].id=\"X\"", "ids[0].id=\"Y\"", "tags[2]=\"t\"")]
    // filters: the item found or added
    [InlineData("meta[key=limit].value=\"7500.00\"", "meta[key=group].value=\"Wholesale\"", "meta[key=limit].note=\"n\"")]
    // a value written whole, then stepped into
    [InlineData("source={\"system\":\"shop\",\"n\":{\"x\":1}}", "source.id=\"9\"", "source.n.y=2", "list=[{\"k\":1}]", "list[0].v=2")]
    public void Writes_what_a_JsonObject_would_hold(params string[] writes)
    {
        var expected = new JsonObject();
        var changes = TargetChanges.Rent();
        try
        {
            foreach (var write in writes)
            {
                var at = PathEnd(write);
                var path = FieldPath.Parse(write[..at]);
                var value = JsonNode.Parse(write[(at + 1)..]);
                path.Write(expected, value?.DeepClone());
                changes.Write(TargetChanges.Root, path, value);
            }

            Assert.Equal(expected.ToJsonString(), JsonNode.Parse(changes.ToUtf8())!.ToJsonString());
        }
        finally
        {
            changes.Return();
        }
    }

    // The first '=' outside brackets ends the path (a filter holds one: meta[key=limit]).
    private static int PathEnd(string write)
    {
        var depth = 0;
        for (var i = 0; i < write.Length; i++)
        {
            switch (write[i])
            {
                case '[':
                    depth++;
                    break;
                case ']':
                    depth--;
                    break;
                case '=' when depth == 0:
                    return i;
            }
        }

        throw new ArgumentException($"no value in '{write}'", nameof(write));
    }

    [Fact]
    public void An_item_merged_over_the_current_one_keeps_its_members_and_order()
    {
        var current = JsonNode.Parse("""{ "sku": "A", "qty": 1, "erpId": 7, "price": { "amount": 1, "currency": "EGP" } }""")!.AsObject();
        var changes = TargetChanges.Rent();
        try
        {
            var lines = changes.GetOrAddArray(TargetChanges.Root, FieldPath.Parse("lines"));
            var item = changes.NewObject(current);
            changes.Write(item, FieldPath.Parse("qty"), JsonValue.Create(2));
            changes.Write(item, FieldPath.Parse("price.amount"), JsonValue.Create(3));
            changes.Write(item, FieldPath.Parse("note"), JsonValue.Create("new"));
            changes.Append(lines, item);

            // Members written replace the current ones whole (price loses its currency), as the engine always merged items.
            Assert.Equal("""{"lines":[{"sku":"A","qty":2,"erpId":7,"price":{"amount":3},"note":"new"}]}""", JsonNode.Parse(changes.ToUtf8())!.ToJsonString());
        }
        finally
        {
            changes.Return();
        }
    }
}
