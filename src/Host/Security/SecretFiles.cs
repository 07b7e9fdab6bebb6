namespace Integration.Host.Security;

/// <summary>
/// Settings read from files, as Docker and Kubernetes mount secrets: with <c>Secrets:Directory</c> set, each file in
/// that folder is one setting, named like its environment variable (<c>Connectors__Shopify__Stores__0__AppSecret</c>)
/// and holding the value (a trailing line break is dropped). Files win over the environment and the command line.
/// </summary>
internal static class SecretFiles
{
    public const string DirectorySetting = "Secrets:Directory";

    /// <summary>The host's configuration as <c>serve</c> and every CLI verb read it.</summary>
    public static IConfiguration Read(string[] args) => WebApplication.CreateBuilder(args).Configuration.AddSecretFiles();

    public static ConfigurationManager AddSecretFiles(this ConfigurationManager configuration)
    {
        if (configuration[DirectorySetting] is not { Length: > 0 } directory)
        {
            return configuration;
        }

        // Named but absent is a mistake in the deployment: refuse to start rather than run without the secrets.
        if (!Directory.Exists(directory))
        {
            throw new InvalidOperationException($"{DirectorySetting} names the folder '{directory}', which does not exist.");
        }

        configuration.AddKeyPerFile(directory, optional: false);
        return configuration;
    }
}
