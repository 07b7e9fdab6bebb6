using System.Text.Json;
using System.Text.Json.Nodes;
using Integration.Erp;
using Integration.Erp.Customers;
using Integration.Mappings.Engine;
using Integration.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.Erp.Activities;

/// <summary>
/// <c>Erp.UpsertCustomer</c>: finds the ERP customer of a store's customer (key map, the ERP's own record of the
/// store's id, then email or phone), maps the store's document onto it with a customer mapping (only the fields
/// the store masters), and creates or updates it. The store's id is linked in the key map, so an order's customer
/// resolves to it, and what was written is fingerprinted, so it does not travel back as a change.
/// </summary>
internal sealed class UpsertCustomerActivity : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "Erp.UpsertCustomer", "ERP", "Create or update customer",
        [
            new InputDescriptor("mapping", "String", true, Description: "The customer mapping, e.g. shopify-customer__erp-customer."),
            new InputDescriptor("document", "Object", true, "json-editor", "The store's customer."),
            new InputDescriptor("store", "String", true, Description: "The store (key map scope)."),
            new InputDescriptor("values", "Object", true, "json-editor", "Named values of the mapping; company is required."),
            new InputDescriptor("onDuplicate", "String", Description: "A new customer whose email or phone an ERP customer has: link (take that one), create (a new one, reported as a possible duplicate) or stop. Default: link when the mapping says onMatch link, else create."),
        ],
        [
            new OutputDescriptor("customerId", "String"),
            new OutputDescriptor("action", "String", "Created, Updated, Unchanged or Linked."),
            new OutputDescriptor("customer", "Object"),
            new OutputDescriptor("possibleDuplicates", "Object", "ERP customers with the same email or phone."),
            new OutputDescriptor("result", "Object", "The mapping result."),
        ],
        ["Done", "Failed", "Duplicate"],
        Description: "Matches or creates the ERP customer of a store's customer through a mapping.",
        HasExternalEffect: true);

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var services = context.Services ?? throw new InvalidOperationException("Erp.UpsertCustomer needs the host's services.");
        var mapper = services.GetRequiredService<Mapper>();
        var customers = services.GetRequiredService<CustomerRegister>();
        var mappingId = context.Input<string>("mapping")!;
        var mapping = mapper.Catalog.Get(mappingId);
        var erpOnLeft = mapping.Left.System == "erp";
        var storeSide = erpOnLeft ? mapping.Right : mapping.Left;
        var direction = erpOnLeft ? Integration.Mappings.Definitions.MappingDirection.RightToLeft : Integration.Mappings.Definitions.MappingDirection.LeftToRight;
        var document = ErpJson.Node(context, "document") ?? throw new InvalidOperationException("Erp.UpsertCustomer: 'document' is empty.");
        var values = ErpJson.Node(context, "values") as JsonObject ?? throw new InvalidOperationException("Erp.UpsertCustomer: 'values' must be an object with the company.");
        var company = (string?)values["company"] ?? throw new InvalidOperationException("Erp.UpsertCustomer: 'values' has no company.");
        var store = context.Input<string>("store")!;
        var ct = context.CancellationToken;
        var mappingContext = new MappingContext
        {
            Store = store,
            Values = values.ToDictionary(p => p.Key, p => p.Value?.DeepClone(), StringComparer.Ordinal),
            CancellationToken = ct,
        };

        var match = await mapper.IdentifyAsync(mappingId, direction, document, mappingContext);
        var externalId = match.SourceId ?? throw new InvalidOperationException($"Erp.UpsertCustomer: the {storeSide.System} customer has no id.");
        var external = new ExternalId(storeSide.System, store, externalId);
        // The ERP's register of store ids comes first: a link made there (one person in two stores, linked by hand)
        // outranks an older key-map entry or an email match. A key-map entry the register does not confirm was unlinked
        // by a person (every link is written to both): it is not followed, so the store's customer matches or is made anew.
        // A customer found by match (onMatch: link) is taken only while it still holds the value it was found by: match
        // values are remembered for every company's customers and may be stale, and CUST-1 of this company is not CUST-1 of another.
        var current = await customers.FindByExternalIdAsync(company, external, ct);
        if (current is null && match.TargetId is { } known && match.MatchedBy is { } matchedBy && matchedBy != "keyMap"
            && await customers.GetAsync(company, known, ct) is { } found
            && mapper.SharesMatchValue(mappingId, direction, document, ErpJson.ToNode(found)!, matchedBy))
        {
            current = found;
        }

        MappingResult result = null!;
        string action;
        Customer saved;
        if (current is not null)
        {
            if (await OntoAsync(current) is not { } written)
            {
                return ActivityResult.Outcome("Failed");
            }

            (saved, action) = written;
        }
        else
        {
            result = await mapper.ApplyAsync(mappingId, direction, document, null, mappingContext);
            context.SetOutput("result", result.ToJson());
            if (!result.Succeeded)
            {
                return ActivityResult.Outcome("Failed");
            }

            var proposed = result.Document.Deserialize<CustomerDocument>(ErpJson.Options) ?? new CustomerDocument();
            var onDuplicate = context.Input<string>("onDuplicate") ?? (mapping.Identity.LinkOnMatch ? "link" : "create");
            var candidate = proposed.ToCustomer(company, "", [external]);
            try
            {
                (saved, var existed) = await customers.CreateAsync(candidate, allowDuplicate: false, ct);
                action = "Created";
                if (existed)
                {
                    if (await OntoAsync(saved) is not { } written)
                    {
                        return ActivityResult.Outcome("Failed");
                    }

                    (saved, action) = written;
                }
            }
            catch (ErpRuleException ex) when (ex.Code == "duplicate-customer" && ex.Details?.GetValueOrDefault("existingCustomer") is string existing)
            {
                context.SetOutput("possibleDuplicates", new JsonArray(existing));
                switch (onDuplicate)
                {
                    case "stop":
                        return ActivityResult.Outcome("Duplicate");
                    case "link":
                        var twin = await customers.GetAsync(company, existing, ct) ?? throw new InvalidOperationException($"Customer {existing} vanished.");
                        (saved, _) = await customers.UpdateAsync(twin with { ExternalIds = [.. twin.ExternalIds.Union([external])] }, twin, ct);
                        action = "Linked";
                        break;
                    default:
                        (saved, var twinExisted) = await customers.CreateAsync(candidate, allowDuplicate: true, ct);
                        action = "Created";
                        if (twinExisted)
                        {
                            if (await OntoAsync(saved) is not { } written)
                            {
                                return ActivityResult.Outcome("Failed");
                            }

                            (saved, action) = written;
                        }

                        break;
                }
            }
        }

        // The document mapped onto a customer the ERP holds (found, or created just now by another run for this store
        // id: an order's and the customer's own webhook at once) and written: only what the mapping changed, so a field
        // the ERP masters saved meanwhile keeps its new value. Null when it does not map.
        async Task<(Customer Saved, string Action)?> OntoAsync(Customer existing)
        {
            result = await mapper.ApplyAsync(mappingId, direction, document, ErpJson.ToNode(existing), mappingContext);
            context.SetOutput("result", result.ToJson());
            if (!result.Succeeded)
            {
                return null;
            }

            var onto = result.Document.Deserialize<CustomerDocument>(ErpJson.Options) ?? new CustomerDocument();
            var (written, changed) = await customers.UpdateAsync(onto.ToCustomer(company, existing.Id, [.. existing.ExternalIds.Union([external])]), existing, ct);
            return (written, changed ? "Updated" : "Unchanged");
        }

        // A returning customer found through the key map and left as it was is linked already, with its match values.
        if (!(action == "Unchanged" && match.MatchedBy == "keyMap" && match.TargetId == saved.Id))
        {
            await mapper.LinkAsync(mappingId, direction, document, externalId, saved.Id, mappingContext);
        }

        await mapper.RecordWrittenAsync(result, saved.Id, ct);
        context.SetOutput("customerId", saved.Id);
        context.SetOutput("action", action);
        context.SetOutput("customer", ErpJson.ToNode(saved));
        return ActivityResult.Done;
    }
}
