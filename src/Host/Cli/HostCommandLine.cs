using System.CommandLine;
using Integration.Host.Database;
using Integration.Host.Security;
using Serilog;

namespace Integration.Host.Cli;

/// <summary>
/// The host binary's verbs: <c>serve</c> (the default), <c>migrate</c>, <c>flows ...</c>, <c>mappings validate</c>, <c>keys ...</c> and the connectors' verbs. Tokens a verb does not know
/// (<c>--urls</c>, <c>--environment</c>, <c>--Key=value</c>) go to ASP.NET Core configuration as usual.
/// </summary>
internal static class HostCommandLine
{
    public static RootCommand Create()
    {
        var serve = new Command("serve", "Run the host: webhooks, API, flows and schedules (the default).")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        serve.SetAction((parse, cancellationToken) => ServeAsync(parse, cancellationToken));

        var migrate = new Command("migrate", "Create the database if missing and apply pending migrations, then exit.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        migrate.SetAction((parse, cancellationToken) => MigrateAsync(parse, cancellationToken));

        var root = new RootCommand("Integration Host: storefronts, ERP and the Egyptian Tax Authority, kept in step by flows.")
        {
            serve,
            migrate,
            FlowsCommand.Create(),
            MappingsCommand.Create(),
            ShopifyCommand.Create(),
            WooCommerceCommand.Create(),
            EtaCommand.Create(),
            KeysCommand.Create(),
        };
        root.TreatUnmatchedTokensAsErrors = false;
        root.SetAction((parse, cancellationToken) => ServeAsync(parse, cancellationToken));
        return root;
    }

    private static async Task<int> ServeAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var app = IntegrationHost.Build([.. parse.UnmatchedTokens]);
        await app.RunAsync(cancellationToken);
        return 0;
    }

    private static async Task<int> MigrateAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var configuration = SecretFiles.Read([.. parse.UnmatchedTokens]);
        var connectionString = DatabaseConnection.Resolve(configuration);
        Log.Information("Migrating {Database}", DatabaseConnection.Describe(connectionString));
        var applied = await new DatabaseMigrator(connectionString, MigrationCatalog.All).MigrateAsync(cancellationToken);
        Log.Information("Database is up to date ({Applied} scripts applied now)", applied);
        return 0;
    }
}
