using System.Text.Json;
using Dapper;
using Npgsql;

namespace Integration.Erp.Customers;

/// <summary>
/// Customers. Creating one that a store already told us about (same source, store and external id) returns it;
/// one whose email or phone matches an existing customer is refused as a likely duplicate unless allowed.
/// </summary>
internal static class CustomerStore
{
    public static async Task<(Customer Customer, bool Existed)> CreateAsync(NpgsqlConnection connection, Customer customer, bool allowDuplicate)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        // Serialize creations per company so two deliveries of one new customer do not both create it.
        await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtext('erp.customer:' || @Company))", new { customer.Company }, transaction);
        foreach (var external in customer.ExternalIds)
        {
            var known = await connection.ExecuteScalarAsync<string?>(
                "SELECT customer FROM erp.customer_external_id WHERE company = @Company AND source = @Source AND store = @Store AND external_id = @Id",
                new { customer.Company, external.Source, external.Store, external.Id }, transaction);
            if (known is not null)
            {
                return ((await GetAsync(connection, customer.Company, known, transaction))!, true);
            }
        }

        if (!allowDuplicate)
        {
            var duplicate = await connection.ExecuteScalarAsync<string?>("""
                SELECT id FROM erp.customer
                WHERE company = @Company AND ((@Email::text IS NOT NULL AND lower(email) = lower(@Email))
                    OR (erp.phone_key(@Phone::text) IS NOT NULL AND phone IS NOT NULL AND erp.phone_key(phone) = erp.phone_key(@Phone::text)))
                LIMIT 1
                """, new { customer.Company, customer.Email, customer.Phone }, transaction);
            if (duplicate is not null)
            {
                throw new ErpRuleException("duplicate-customer", $"Customer {duplicate} has the same email or phone.", 409,
                    new Dictionary<string, object?> { ["existingCustomer"] = duplicate });
            }
        }

        // Past both the count and the highest CUST-n taken: a number once given by hand is never handed out again.
        var id = customer.Id.Length > 0 ? customer.Id : await connection.ExecuteScalarAsync<string>(
            """
            SELECT erp.customer_number(greatest(count(*), max(substring(id FROM '^CUST-([0-9]{1,18})$')::bigint)) + 1)
            FROM erp.customer WHERE company = @Company
            """, new { customer.Company }, transaction)
            ?? throw new InvalidOperationException("No customer number");
        await connection.ExecuteAsync("""
            INSERT INTO erp.customer (company, id, name, email, phone, customer_type, tax_id, credit_limit, customer_group, billing_address, shipping_address)
            VALUES (@Company, @id, @Name, @Email, @Phone, @CustomerType, @TaxId, @CreditLimit, @CustomerGroup, @billing::jsonb, @shipping::jsonb)
            """, new
        {
            customer.Company, id, customer.Name, customer.Email, customer.Phone, customer.CustomerType, customer.TaxId, customer.CreditLimit,
            customer.CustomerGroup, billing = customer.BillingAddress?.GetRawText(), shipping = customer.ShippingAddress?.GetRawText(),
        }, transaction);
        foreach (var external in customer.ExternalIds)
        {
            await connection.ExecuteAsync(
                "INSERT INTO erp.customer_external_id (company, source, store, external_id, customer) VALUES (@Company, @Source, @Store, @Id, @customer)",
                new { customer.Company, external.Source, external.Store, external.Id, customer = id }, transaction);
        }

        await transaction.CommitAsync();
        return ((await GetAsync(connection, customer.Company, id))!, false);
    }

    /// <summary>
    /// Writes a customer's new state (the external ids are added, never removed). Only a real change is written and
    /// announced as <c>erp.customer.changed</c>, so a store's echo of our own write does not travel back. Given
    /// <paramref name="readBefore"/> (what the new state was made from), a field left as it was read keeps the value
    /// the customer has now: a change someone made in between (a credit limit saved in the ERP while a store's webhook
    /// was mapped) is kept, not written back.
    /// </summary>
    public static async Task<(Customer Customer, bool Changed)> UpdateAsync(NpgsqlConnection connection, Customer customer, Customer? readBefore = null)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        var current = await GetAsync(connection, customer.Company, customer.Id, transaction, forUpdate: true)
            ?? throw ErpRuleException.NotFound("unknown-customer", $"No customer '{customer.Id}' in {customer.Company}.");
        if (readBefore is not null)
        {
            customer = Rebased(customer, readBefore, current);
        }

        if (string.IsNullOrWhiteSpace(customer.Name))
        {
            throw new ErpRuleException("name-required", "A customer needs a name.", 400);
        }

        var changed = await connection.ExecuteAsync("""
            UPDATE erp.customer SET name = @Name, email = @Email, phone = @Phone, customer_type = @CustomerType, tax_id = @TaxId,
                   credit_limit = @CreditLimit, customer_group = @CustomerGroup, billing_address = @billing::jsonb, shipping_address = @shipping::jsonb,
                   modified_at = clock_timestamp()
            WHERE company = @Company AND id = @Id
              AND (name, email, phone, customer_type, tax_id, credit_limit, customer_group, billing_address, shipping_address)
                  IS DISTINCT FROM (@Name, @Email, @Phone, @CustomerType, @TaxId, @CreditLimit::numeric, @CustomerGroup, @billing::jsonb, @shipping::jsonb)
            """, new
        {
            customer.Company, customer.Id, customer.Name, customer.Email, customer.Phone, customer.CustomerType, customer.TaxId, customer.CreditLimit,
            customer.CustomerGroup, billing = customer.BillingAddress?.GetRawText(), shipping = customer.ShippingAddress?.GetRawText(),
        }, transaction) > 0;
        var added = customer.ExternalIds.Where(e => !current.ExternalIds.Contains(e)).ToList();
        foreach (var external in added)
        {
            await connection.ExecuteAsync("""
                INSERT INTO erp.customer_external_id (company, source, store, external_id, customer) VALUES (@Company, @Source, @Store, @Id, @customer)
                ON CONFLICT (company, source, store, external_id) DO UPDATE SET customer = excluded.customer
                """, new { customer.Company, external.Source, external.Store, external.Id, customer = customer.Id }, transaction);
        }

        if (changed)
        {
            await Outbox.AddAsync(connection, transaction, "erp.customer.changed", customer.Company, customer.Id, new { id = customer.Id, customer.Email, changed = ChangedFields(current, customer) });
        }

        await transaction.CommitAsync();
        // Nothing written: the customer is as read under the lock (a returning shopper's order usually).
        return changed || added.Count > 0 ? ((await GetAsync(connection, customer.Company, customer.Id))!, changed) : (current, false);
    }

    // The caller's changes (fields that differ from what it read) on top of the customer as it is now.
    private static Customer Rebased(Customer proposed, Customer readBefore, Customer now)
    {
        static T Pick<T>(T mine, T read, T theirs) => EqualityComparer<T>.Default.Equals(mine, read) ? theirs : mine;
        static JsonElement? PickJson(JsonElement? mine, JsonElement? read, JsonElement? theirs) =>
            (mine, read) switch
            {
                (null, null) => theirs,
                ({ } m, { } r) when JsonElement.DeepEquals(m, r) => theirs,
                _ => mine,
            };
        return proposed with
        {
            Name = Pick(proposed.Name, readBefore.Name, now.Name),
            Email = Pick(proposed.Email, readBefore.Email, now.Email),
            Phone = Pick(proposed.Phone, readBefore.Phone, now.Phone),
            CustomerType = Pick(proposed.CustomerType, readBefore.CustomerType, now.CustomerType),
            TaxId = Pick(proposed.TaxId, readBefore.TaxId, now.TaxId),
            CreditLimit = Pick(proposed.CreditLimit, readBefore.CreditLimit, now.CreditLimit),
            CustomerGroup = Pick(proposed.CustomerGroup, readBefore.CustomerGroup, now.CustomerGroup),
            BillingAddress = PickJson(proposed.BillingAddress, readBefore.BillingAddress, now.BillingAddress),
            ShippingAddress = PickJson(proposed.ShippingAddress, readBefore.ShippingAddress, now.ShippingAddress),
        };
    }

    // The fields a change touched, named as in the API, so a flow pushes only what its store cares about.
    private static string[] ChangedFields(Customer before, Customer after) =>
    [
        .. new (string Name, bool Changed)[]
        {
            ("name", before.Name != after.Name), ("email", before.Email != after.Email), ("phone", before.Phone != after.Phone),
            ("customerType", before.CustomerType != after.CustomerType), ("taxId", before.TaxId != after.TaxId), ("creditLimit", before.CreditLimit != after.CreditLimit),
            ("customerGroup", before.CustomerGroup != after.CustomerGroup),
            ("billingAddress", before.BillingAddress?.GetRawText() != after.BillingAddress?.GetRawText()),
            ("shippingAddress", before.ShippingAddress?.GetRawText() != after.ShippingAddress?.GetRawText()),
        }.Where(f => f.Changed).Select(f => f.Name),
    ];

    /// <summary>
    /// Links a store's customer to this ERP customer (the same person buying in a second store). A store id already
    /// linked to another customer is refused naming that customer, unless <paramref name="move"/>.
    /// </summary>
    public static async Task<Customer> LinkAsync(NpgsqlConnection connection, string company, string id, ExternalId external, bool move)
    {
        if (string.IsNullOrWhiteSpace(external.Source) || string.IsNullOrWhiteSpace(external.Store) || string.IsNullOrWhiteSpace(external.Id))
        {
            throw new ErpRuleException("external-id-incomplete", "A store's customer is named by source, store and id.", 400);
        }

        await using var transaction = await connection.BeginTransactionAsync();
        _ = await GetAsync(connection, company, id, transaction, forUpdate: true) ?? throw ErpRuleException.NotFound("unknown-customer", $"No customer '{id}' in {company}.");
        var owner = await connection.ExecuteScalarAsync<string?>(
            "SELECT customer FROM erp.customer_external_id WHERE company = @company AND source = @Source AND store = @Store AND external_id = @Id FOR UPDATE",
            new { company, external.Source, external.Store, external.Id }, transaction);
        if (owner is not null && owner != id && !move)
        {
            throw new ErpRuleException("external-id-linked", $"{external.Source} customer {external.Id} of {external.Store} is linked to customer {owner}; pass move to link it here instead.", 409,
                new Dictionary<string, object?> { ["linkedCustomer"] = owner });
        }

        await connection.ExecuteAsync("""
            INSERT INTO erp.customer_external_id (company, source, store, external_id, customer) VALUES (@company, @Source, @Store, @Id, @customer)
            ON CONFLICT (company, source, store, external_id) DO UPDATE SET customer = excluded.customer
            """, new { company, external.Source, external.Store, external.Id, customer = id }, transaction);
        await transaction.CommitAsync();
        return (await GetAsync(connection, company, id))!;
    }

    /// <summary>Removes a store's customer from this ERP customer; the store's next word about it matches or creates anew.</summary>
    public static async Task<Customer> UnlinkAsync(NpgsqlConnection connection, string company, string id, ExternalId external)
    {
        var removed = await connection.ExecuteAsync(
            "DELETE FROM erp.customer_external_id WHERE company = @company AND customer = @customer AND source = @Source AND store = @Store AND external_id = @Id",
            new { company, customer = id, external.Source, external.Store, external.Id });
        return removed == 0
            ? throw ErpRuleException.NotFound("unknown-external-id", $"Customer '{id}' has no {external.Source} customer {external.Id} of {external.Store}.")
            : (await GetAsync(connection, company, id))!;
    }

    /// <summary>The customer a store's id belongs to, if it was seen before.</summary>
    public static async Task<Customer?> FindByExternalIdAsync(NpgsqlConnection connection, string company, ExternalId external)
    {
        var id = await connection.ExecuteScalarAsync<string?>(
            "SELECT customer FROM erp.customer_external_id WHERE company = @company AND source = @Source AND store = @Store AND external_id = @Id",
            new { company, external.Source, external.Store, external.Id });
        return id is null ? null : await GetAsync(connection, company, id);
    }

    public static async Task<Customer?> GetAsync(NpgsqlConnection connection, string company, string id, NpgsqlTransaction? transaction = null, bool forUpdate = false)
    {
        var row = await connection.QuerySingleOrDefaultAsync<Row>($"""
            SELECT company AS Company, id AS Id, name AS Name, email AS Email, phone AS Phone, customer_type AS CustomerType, tax_id AS TaxId,
                   credit_limit AS CreditLimit, customer_group AS CustomerGroup, billing_address::text AS Billing, shipping_address::text AS Shipping,
                   modified_at AS ModifiedAt
            FROM erp.customer WHERE company = @company AND id = @id {(forUpdate ? "FOR UPDATE" : "")}
            """, new { company, id }, transaction);
        if (row is null)
        {
            return null;
        }

        var externals = await connection.QueryAsync<ExternalId>(
            "SELECT source AS Source, store AS Store, external_id AS Id FROM erp.customer_external_id WHERE company = @company AND customer = @id ORDER BY source, store",
            new { company, id }, transaction);
        return new Customer(row.Company, row.Id, row.Name, row.Email, row.Phone, row.CustomerType, row.TaxId, row.CreditLimit, row.CustomerGroup,
            Parse(row.Billing), Parse(row.Shipping), [.. externals], row.ModifiedAt);
    }

    public static async Task<IReadOnlyList<Customer>> FindAsync(NpgsqlConnection connection, string company, string? email, string? phone)
    {
        var ids = await connection.QueryAsync<string>("""
            SELECT id FROM erp.customer
            WHERE company = @company AND (@email::text IS NULL OR lower(email) = lower(@email))
              AND (@phone::text IS NULL OR (phone IS NOT NULL AND erp.phone_key(phone) = erp.phone_key(@phone::text)))
            ORDER BY id LIMIT 500
            """, new { company, email, phone });
        var customers = new List<Customer>();
        foreach (var id in ids)
        {
            customers.Add((await GetAsync(connection, company, id))!);
        }

        return customers;
    }

    private static JsonElement? Parse(string? json) => json is null ? null : JsonDocument.Parse(json).RootElement.Clone();

    private sealed record Row(string Company, string Id, string Name, string? Email, string? Phone, string CustomerType, string? TaxId,
        decimal CreditLimit, string? CustomerGroup, string? Billing, string? Shipping, DateTime ModifiedAt);
}
