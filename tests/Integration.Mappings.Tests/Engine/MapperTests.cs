using System.Text.Json.Nodes;
using Integration.Mappings.Conflicts;
using Integration.Mappings.Definitions;
using Integration.Mappings.Engine;
using Integration.Mappings.KeyMaps;

namespace Integration.Mappings.Tests.Engine;

/// <summary>Master enforcement, arrays by key, conflicts, echoes and identity on a small customer mapping.</summary>
public sealed class MapperTests
{
    private const string Id = "shop-customer__erp-customer";

    private static string Mapping(string conflict = """{ "rule": "masterWins", "priority": ["erp", "shop"] }""") => $$"""
        {
          "id": "shop-customer__erp-customer",
          "left": { "system": "shop", "entity": "customer", "id": "id", "modifiedAt": "updated_at" },
          "right": { "system": "erp", "entity": "customer", "id": "id", "modifiedAt": "modified" },
          "identity": { "keyMap": true, "match": [ { "name": "email", "left": "email", "right": "email" }, { "name": "phone", "left": "phone", "right": "phone" } ] },
          "conflict": {{conflict}},
          "fields": [
            { "name": "email", "left": "email", "right": "email", "master": "shop" },
            { "name": "phone", "left": "phone", "right": "phone", "master": "shop" },
            { "name": "creditLimit", "left": "credit_limit", "right": "creditLimit", "master": "erp" },
            { "name": "group", "left": "group", "right": "group", "master": "erp", "seedOnCreate": true },
            { "name": "note", "left": "note", "right": "note", "master": "both" }
          ],
          "arrays": [
            { "name": "addresses", "left": "addresses", "right": "addresses", "master": "shop", "removeMissing": true,
              "key": { "left": "label", "right": "kind" },
              "fields": [
                { "name": "city", "left": "city", "right": "city", "master": "shop" },
                { "name": "verified", "left": "verified", "right": "verified", "master": "erp" }
              ] }
          ]
        }
        """;

    private static JsonNode Shop(string email = "bob@biller.com", decimal creditLimit = 100, string note = "shop note", string updated = "2026-11-30T09:00:00Z") => MappingTestKit.Json($$"""
        { "id": "S-1", "email": "{{email}}", "phone": "+20 100 123 4567", "credit_limit": {{creditLimit}}, "group": "VIP", "note": "{{note}}", "updated_at": "{{updated}}",
          "addresses": [ { "label": "home", "city": "Cairo", "verified": true }, { "label": "work", "city": "Giza" } ] }
        """);

    private static JsonNode Erp(string note = "erp note", string modified = "2026-11-30T08:00:00Z") => MappingTestKit.Json($$"""
        { "id": "CUST-1", "email": "bob@biller.com", "phone": "+20 100 123 4567", "creditLimit": 5000, "group": "Retail", "note": "{{note}}", "modified": "{{modified}}",
          "addresses": [ { "kind": "home", "city": "Cairo", "verified": false, "erpRef": 7 }, { "kind": "old", "city": "Alexandria" } ] }
        """);

    [Theory]
    [InlineData("shop", "email", true)] // the store masters email: its change is written to the ERP
    [InlineData("shop", "creditLimit", false)] // ...but not its credit limit
    [InlineData("erp", "creditLimit", true)] // the ERP masters credit limit: written to the store
    [InlineData("erp", "email", false)] // ...but not its email
    public async Task Only_fields_the_source_masters_are_written(string from, string field, bool written)
    {
        var kit = new MappingTestKit(Mapping());
        var shop = Shop(email: "new@biller.com", creditLimit: 999999).AsObject();
        var erp = Erp().AsObject();
        erp["email"] = "typo@erp.local";
        erp["creditLimit"] = 7500;

        var result = from == "shop"
            ? await kit.Mapper.ApplyAsync(Id, MappingDirection.LeftToRight, shop, erp)
            : await kit.Mapper.ApplyAsync(Id, MappingDirection.RightToLeft, erp, shop);

        Assert.Equal(written, result.Written.Any(w => w.Field == field));
        if (!written)
        {
            Assert.Contains(result.Skipped, s => s.Field == field && s.Reason == SkipReason.NotMaster);
        }
    }

    [Fact]
    public async Task A_new_target_is_seeded_with_fields_marked_seedOnCreate_only()
    {
        var kit = new MappingTestKit(Mapping());

        var result = await kit.Mapper.ApplyAsync(Id, MappingDirection.LeftToRight, Shop(), null);

        Assert.True(result.TargetIsNew);
        Assert.Equal("VIP", (string?)result.Changes["group"]); // erp-mastered, seedOnCreate
        Assert.False(result.Changes.ContainsKey("creditLimit")); // erp-mastered, not seeded
        Assert.Equal("shop note", (string?)result.Changes["note"]); // both: nothing to conflict with yet
        Assert.Empty(result.Conflicts);
    }

    [Fact]
    public async Task Array_items_are_matched_by_key_not_position()
    {
        var kit = new MappingTestKit(Mapping());
        var shop = Shop().AsObject();
        shop["addresses"] = MappingTestKit.Json("""[ { "label": "work", "city": "Giza" }, { "label": "home", "city": "New Cairo", "verified": true } ]""");

        var result = await kit.Mapper.ApplyAsync(Id, MappingDirection.LeftToRight, shop, Erp());

        var addresses = result.Document["addresses"]!.AsArray();
        var home = addresses.Single(a => (string?)a!["kind"] == "home")!;
        Assert.Equal("New Cairo", (string?)home["city"]); // written by key
        Assert.False((bool)home["verified"]!); // erp-mastered item field kept
        Assert.Equal(7, (int)home["erpRef"]!); // target-only member kept
        Assert.Equal("Giza", (string?)addresses.Single(a => (string?)a!["kind"] == "work")!["city"]); // added
        Assert.DoesNotContain(addresses, a => (string?)a!["kind"] == "old"); // removed: the store masters the list
        Assert.Contains(result.Written, w => w.Field == "addresses[home].city" && (string?)w.Previous == "Cairo");
        Assert.Contains(result.Written, w => w.Field == "addresses[work].(added)");
        Assert.Contains(result.Written, w => w.Field == "addresses[old].(removed)");
        Assert.Contains(result.Skipped, s => s.Field == "addresses[home].verified" && s.Reason == SkipReason.NotMaster);
    }

    [Fact]
    public async Task An_unchanged_document_writes_nothing()
    {
        var kit = new MappingTestKit(Mapping());
        var shop = MappingTestKit.Json("""
            { "id": "S-1", "email": "bob@biller.com", "phone": "+20 100 123 4567", "note": "same",
              "addresses": [ { "label": "home", "city": "Cairo" } ] }
            """);
        var erp = MappingTestKit.Json("""
            { "id": "CUST-1", "email": "bob@biller.com", "phone": "+20 100 123 4567", "note": "same", "addresses": [ { "kind": "home", "city": "Cairo" } ] }
            """);

        var result = await kit.Mapper.ApplyAsync(Id, MappingDirection.LeftToRight, shop, erp);

        Assert.Empty(result.Written);
        Assert.Empty(result.Changes);
        Assert.All(result.Skipped.Where(s => s.Field is "email" or "phone" or "note" or "addresses[home].city"), s => Assert.Equal(SkipReason.Unchanged, s.Reason));
    }

    [Theory]
    [InlineData("""{ "rule": "masterWins", "priority": ["erp", "shop"] }""", "2026-11-30T09:00:00Z", "erp", false)]
    [InlineData("""{ "rule": "masterWins", "priority": ["shop", "erp"] }""", "2026-11-30T09:00:00Z", "shop", true)]
    [InlineData("""{ "rule": "lastWriterWins" }""", "2026-11-30T09:00:00Z", "shop", true)] // the store changed it after the ERP (08:00)
    [InlineData("""{ "rule": "lastWriterWins" }""", "2026-11-30T07:00:00Z", "erp", false)] // the ERP's change is the later one
    [InlineData("""{ "rule": "raise" }""", "2026-11-30T09:00:00Z", null, false)]
    public async Task A_conflict_on_a_field_both_master_is_settled_by_the_rule_and_recorded(string conflict, string shopUpdated, string? winner, bool written)
    {
        var kit = new MappingTestKit(Mapping(conflict));

        var result = await kit.Mapper.ApplyAsync(Id, MappingDirection.LeftToRight, Shop(updated: shopUpdated), Erp());

        var recorded = Assert.Single(result.Conflicts);
        Assert.Equal("note", recorded.Field);
        Assert.Equal("shop", recorded.SourceSystem);
        Assert.Equal("shop note", (string?)recorded.SourceValue);
        Assert.Equal(DateTimeOffset.Parse(shopUpdated, System.Globalization.CultureInfo.InvariantCulture), recorded.SourceModifiedAt);
        Assert.Equal("erp", recorded.TargetSystem);
        Assert.Equal("erp note", (string?)recorded.TargetValue);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero), recorded.TargetModifiedAt);
        Assert.Equal(winner, recorded.Winner);
        Assert.Equal(winner is null, recorded.NeedsPerson);
        Assert.Equal(winner is null, result.NeedsPerson);
        Assert.Equal(written, result.Written.Any(w => w.Field == "note"));
        Assert.Equal(!written, result.Skipped.Any(s => s.Field == "note" && s.Reason == SkipReason.Conflict));
        Assert.Equal(conflict.Contains("masterWins", StringComparison.Ordinal) ? ConflictRule.MasterWins
            : conflict.Contains("lastWriterWins", StringComparison.Ordinal) ? ConflictRule.LastWriterWins : ConflictRule.Raise, recorded.Rule);
    }

    [Fact]
    public async Task Last_writer_wins_without_timestamps_is_left_to_a_person()
    {
        var kit = new MappingTestKit(Mapping("""{ "rule": "lastWriterWins" }"""));
        var erp = Erp().AsObject();
        erp.Remove("modified");

        var result = await kit.Mapper.ApplyAsync(Id, MappingDirection.LeftToRight, Shop(), erp);

        Assert.True(result.NeedsPerson);
        Assert.Null(Assert.Single(result.Conflicts).Winner);
    }

    [Fact]
    public async Task The_echo_of_our_own_write_is_dropped_and_a_later_human_change_flows()
    {
        var kit = new MappingTestKit(Mapping("""{ "rule": "lastWriterWins" }"""));

        // 10:00 a clerk changes the note in the ERP; the host writes it to the store (the ERP's change is the later one).
        var toStore = await kit.Mapper.ApplyAsync(Id, MappingDirection.RightToLeft,
            Erp(note: "v2", modified: "2026-11-30T10:00:00Z"), Shop(note: "v1", updated: "2026-11-30T09:00:00Z"));
        Assert.Contains(toStore.Written, w => w.Field == "note");
        await kit.Mapper.RecordWrittenAsync(toStore, "S-1");

        // 10:00:30 the clerk corrects it to v3. 10:01 the store's webhook about our write arrives: v2, stamped 10:01.
        // By timestamps it would win and put v2 back over v3; it is our own echo, so it is dropped.
        var echo = await kit.Mapper.ApplyAsync(Id, MappingDirection.LeftToRight,
            Shop(note: "v2", updated: "2026-11-30T10:01:00Z"), Erp(note: "v3", modified: "2026-11-30T10:00:30Z"));
        Assert.Contains(echo.Skipped, s => s.Field == "note" && s.Reason == SkipReason.Echo);
        Assert.DoesNotContain(echo.Written, w => w.Field == "note");
        Assert.Empty(echo.Conflicts);

        // 10:10 a person edits the note on the store: a real change, it flows.
        var human = await kit.Mapper.ApplyAsync(Id, MappingDirection.LeftToRight,
            Shop(note: "v4", updated: "2026-11-30T10:10:00Z"), Erp(note: "v3", modified: "2026-11-30T10:00:30Z"));
        Assert.Contains(human.Written, w => w.Field == "note" && (string?)w.Value == "v4");

        // Even the same text as our old write flows once its echo has been seen.
        var again = await kit.Mapper.ApplyAsync(Id, MappingDirection.LeftToRight,
            Shop(note: "v2", updated: "2026-11-30T10:20:00Z"), Erp(note: "v4", modified: "2026-11-30T10:10:00Z"));
        Assert.Contains(again.Written, w => w.Field == "note" && (string?)w.Value == "v2");
    }

    [Fact]
    public async Task A_person_setting_a_field_back_to_what_we_wrote_before_a_change_of_theirs_is_no_echo()
    {
        var kit = new MappingTestKit(Mapping("""{ "rule": "lastWriterWins" }"""));
        // 10:00 the host writes v2 to the store; the store's webhook about it is lost.
        var toStore = await kit.Mapper.ApplyAsync(Id, MappingDirection.RightToLeft,
            Erp(note: "v2", modified: "2026-11-30T10:00:00Z"), Shop(note: "v1", updated: "2026-11-30T09:00:00Z"));
        await kit.Mapper.RecordWrittenAsync(toStore, "S-1");

        // 10:05 a person changes it on the store to v3: it flows, and our write is overtaken.
        var changed = await kit.Mapper.ApplyAsync(Id, MappingDirection.LeftToRight,
            Shop(note: "v3", updated: "2026-11-30T10:05:00Z"), Erp(note: "v2", modified: "2026-11-30T10:00:00Z"));
        Assert.Contains(changed.Written, w => w.Field == "note" && (string?)w.Value == "v3");

        // 10:06 they change their mind and put v2 back: a change of theirs, not the echo of ours.
        var back = await kit.Mapper.ApplyAsync(Id, MappingDirection.LeftToRight,
            Shop(note: "v2", updated: "2026-11-30T10:06:00Z"), Erp(note: "v3", modified: "2026-11-30T10:05:00Z"));
        Assert.DoesNotContain(back.Skipped, s => s.Reason == SkipReason.Echo);
        Assert.Contains(back.Written, w => w.Field == "note" && (string?)w.Value == "v2");
    }

    [Fact]
    public async Task A_field_both_master_is_no_conflict_when_the_target_still_holds_what_we_wrote_there()
    {
        var kit = new MappingTestKit(Mapping("""{ "rule": "raise" }"""));
        // 10:00 the host creates the customer on the store from the ERP, note v2 included.
        var created = await kit.Mapper.ApplyAsync(Id, MappingDirection.RightToLeft, Erp(note: "v2", modified: "2026-11-30T10:00:00Z"), null);
        Assert.Contains(created.Written, w => w.Field == "note" && (string?)w.Value == "v2");
        await kit.Mapper.RecordWrittenAsync(created, "S-1");

        // 10:05 a clerk changes it in the ERP to v5. The store still holds v2, our own write: only the ERP changed it.
        var later = await kit.Mapper.ApplyAsync(Id, MappingDirection.RightToLeft, Erp(note: "v5", modified: "2026-11-30T10:05:00Z"), Shop(note: "v2"));

        Assert.Empty(later.Conflicts);
        Assert.Contains(later.Written, w => w.Field == "note" && (string?)w.Value == "v5");

        // Had someone changed it on the store meanwhile (v3), both changed it: the rule decides (raise: a person).
        var both = await kit.Mapper.ApplyAsync(Id, MappingDirection.RightToLeft, Erp(note: "v5"), Shop(note: "v3"));
        Assert.True(Assert.Single(both.Conflicts).NeedsPerson);
        Assert.DoesNotContain(both.Written, w => w.Field == "note");
    }

    [Fact]
    public async Task An_echo_is_recognised_only_from_the_store_the_write_went_to()
    {
        var kit = new MappingTestKit(Mapping("""{ "rule": "lastWriterWins" }"""));
        var cairo = new MappingContext { Store = "cairo" };
        var alex = new MappingContext { Store = "alex" };
        var toCairo = await kit.Mapper.ApplyAsync(Id, MappingDirection.RightToLeft,
            Erp(note: "v2", modified: "2026-11-30T10:00:00Z"), Shop(note: "v1", updated: "2026-11-30T09:00:00Z"), cairo);
        await kit.Mapper.RecordWrittenAsync(toCairo, "S-1");

        // Another store's customer S-1 (stores number their customers alike) saying v2 is that store's news, not our echo.
        var fromAlex = await kit.Mapper.ApplyAsync(Id, MappingDirection.LeftToRight,
            Shop(note: "v2", updated: "2026-11-30T10:01:00Z"), Erp(note: "v3", modified: "2026-11-30T10:00:30Z"), alex);
        Assert.DoesNotContain(fromAlex.Skipped, s => s.Reason == SkipReason.Echo);
        Assert.Contains(fromAlex.Written, w => w.Field == "note" && (string?)w.Value == "v2");

        var fromCairo = await kit.Mapper.ApplyAsync(Id, MappingDirection.LeftToRight,
            Shop(note: "v2", updated: "2026-11-30T10:01:00Z"), Erp(note: "v3", modified: "2026-11-30T10:00:30Z"), cairo);
        Assert.Contains(fromCairo.Skipped, s => s.Field == "note" && s.Reason == SkipReason.Echo);
    }

    [Fact]
    public async Task Echo_fingerprints_expire()
    {
        var kit = new MappingTestKit(Mapping("""{ "rule": "lastWriterWins" }"""));
        var toStore = await kit.Mapper.ApplyAsync(Id, MappingDirection.RightToLeft,
            Erp(note: "v2", modified: "2026-11-30T10:00:00Z"), Shop(note: "v1", updated: "2026-11-30T09:00:00Z"));
        await kit.Mapper.RecordWrittenAsync(toStore, "S-1");
        kit.Time.Advance(TimeSpan.FromMinutes(31)); // the kit's expiry is 30 minutes

        var late = await kit.Mapper.ApplyAsync(Id, MappingDirection.LeftToRight,
            Shop(note: "v2", updated: "2026-11-30T10:40:00Z"), Erp(note: "v3", modified: "2026-11-30T10:30:00Z"));

        Assert.DoesNotContain(late.Skipped, s => s.Reason == SkipReason.Echo);
        Assert.Contains(late.Written, w => w.Field == "note");
    }

    [Fact]
    public async Task Records_are_identified_through_the_key_map_then_by_email_or_phone_with_duplicates_reported()
    {
        var kit = new MappingTestKit(Mapping());
        await kit.Mapper.LinkAsync(Id, MappingDirection.LeftToRight, Shop(), "S-1", "CUST-1", new MappingContext { Store = "a" });
        await kit.KeyMap.AddMatchValueAsync("customer", "CUST-2", "phone", MatchValue.Normalize("phone", "0100 123 4567")!);

        var known = await kit.Mapper.IdentifyAsync(Id, MappingDirection.LeftToRight, Shop(), new MappingContext { Store = "a" });
        var otherStore = await kit.Mapper.IdentifyAsync(Id, MappingDirection.LeftToRight, Shop(), new MappingContext { Store = "b" });
        var sameEmail = await kit.Mapper.IdentifyAsync(Id, MappingDirection.LeftToRight,
            MappingTestKit.Json("""{ "id": "S-77", "email": " BOB@Biller.com " }"""), new MappingContext { Store = "b" });
        var stranger = await kit.Mapper.IdentifyAsync(Id, MappingDirection.LeftToRight,
            MappingTestKit.Json("""{ "id": "S-78", "email": "eve@example.com", "phone": "+1 555 0100" }"""), new MappingContext { Store = "b" });
        var erpSide = await kit.Mapper.IdentifyAsync(Id, MappingDirection.RightToLeft, Erp(), new MappingContext { Store = "a" });

        Assert.Equal(("CUST-1", "keyMap"), (known.TargetId, known.MatchedBy));
        Assert.True(otherStore.IsNew); // same email and phone as CUST-1 and phone as CUST-2: flagged, not linked
        Assert.Equal(["CUST-1", "CUST-2"], otherStore.PossibleDuplicates);
        Assert.Equal(["CUST-1"], sameEmail.PossibleDuplicates); // emails compared case- and space-insensitively
        Assert.True(stranger.IsNew);
        Assert.False(stranger.HasDuplicates);
        Assert.Equal("S-1", erpSide.TargetId);
    }

    [Theory]
    [InlineData("email", """{ "email": " Bob@Biller.com " }""", """{ "email": "bob@biller.com" }""", true)]
    [InlineData("email", """{ "email": "bob@biller.com" }""", """{ "email": "robert@biller.com" }""", false)]
    [InlineData("email", """{ "email": "bob@biller.com" }""", """{ "phone": "0100 123 4567" }""", false)]
    [InlineData("email", "{ }", "{ }", false)]
    [InlineData("phone", """{ "phone": "+20 100 123 4567" }""", """{ "phone": "0100 123 4567" }""", true)]
    [InlineData("phone", """{ "phone": "+20 100 123 4567" }""", """{ "phone": "0100 123 4568" }""", false)]
    [InlineData("taxId", """{ "taxId": "1" }""", """{ "taxId": "1" }""", false)]
    public void A_match_is_confirmed_only_while_the_record_still_has_the_sources_value(string matchName, string shop, string erp, bool expected)
    {
        var kit = new MappingTestKit(Mapping());

        Assert.Equal(expected, kit.Mapper.SharesMatchValue(Id, MappingDirection.LeftToRight, MappingTestKit.Json(shop), MappingTestKit.Json(erp), matchName));
    }

    [Fact]
    public async Task Constants_and_context_values_are_copied_so_runs_can_share_a_mapping_and_a_context()
    {
        var kit = new MappingTestKit("""
            {
              "id": "shop-thing__erp-thing",
              "left": { "system": "shop", "entity": "thing" },
              "right": { "system": "erp", "entity": "thing" },
              "fields": [
                { "name": "kind", "right": "kind", "master": "shop", "constant": "order" },
                { "name": "company", "left": "@company", "right": "company", "master": "shop" },
                { "name": "customer", "left": "customer", "right": "customer", "master": "shop", "transform": { "type": "default", "path": "@guest" } }
              ]
            }
            """);
        var context = new MappingContext { Values = new Dictionary<string, JsonNode?> { ["company"] = "EG01", ["guest"] = "WALK-IN" } };

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
            await kit.Mapper.ApplyAsync("shop-thing__erp-thing", MappingDirection.LeftToRight, MappingTestKit.Json("""{ "customer": null }"""), null, context))));

        Assert.All(results, r => Assert.Equal("""{"kind":"order","company":"EG01","customer":"WALK-IN"}""", r.Document.ToJsonString()));
        Assert.Null(context.Values["company"]!.Parent);
        Assert.Null(context.Values["guest"]!.Parent);
        Assert.Null(kit.Catalog.Get("shop-thing__erp-thing").Fields[0].Constant!.Parent);
    }
}
