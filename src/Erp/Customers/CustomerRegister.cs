using Npgsql;

namespace Integration.Erp.Customers;

/// <summary>
/// Customers for in-process callers (the ERP connector's activities): create (idempotent on a store's id, refusing
/// a likely duplicate unless allowed), read, find by a store's id, and update with a change announced in the outbox.
/// </summary>
public sealed class CustomerRegister(NpgsqlDataSource dataSource)
{
    public async Task<(Customer Customer, bool Existed)> CreateAsync(Customer customer, bool allowDuplicate, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await CustomerStore.CreateAsync(connection, customer, allowDuplicate);
    }

    public async Task<Customer?> GetAsync(string company, string id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await CustomerStore.GetAsync(connection, company, id);
    }

    public async Task<Customer?> FindByExternalIdAsync(string company, ExternalId external, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await CustomerStore.FindByExternalIdAsync(connection, company, external);
    }

    /// <summary>Writes the customer's new state; <c>Changed</c> is false when it was already so.</summary>
    public async Task<(Customer Customer, bool Changed)> UpdateAsync(Customer customer, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await CustomerStore.UpdateAsync(connection, customer);
    }

    /// <summary>
    /// Writes the fields <paramref name="customer"/> changed from <paramref name="readBefore"/> (what it was made from);
    /// the others keep the values the customer has now, so a change made in between is not written back.
    /// </summary>
    public async Task<(Customer Customer, bool Changed)> UpdateAsync(Customer customer, Customer readBefore, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await CustomerStore.UpdateAsync(connection, customer, readBefore);
    }
}
