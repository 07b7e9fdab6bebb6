using Integration.Testing;

namespace Integration.EndToEnd.Tests.Eta;

/// <summary>Another host of the same cluster: the first host's database and ETA portal, nothing seeded again.</summary>
public sealed class SecondEtaHost(EtaStoreHost first) : EtaStoreHost(first.Eta, ownsPortal: false)
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult(first.Database);

    protected override bool OwnsDatabase => false;

    protected override Task SeedAsync() => Task.CompletedTask;
}
