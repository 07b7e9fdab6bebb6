namespace Integration.Testing;

/// <summary>The repository root, and <c>../shared/fixtures</c> beside it (real payloads and test vectors).</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string SharedFixtures => Path.GetFullPath(Path.Combine(Root, "..", "shared", "fixtures"));

    /// <summary>A fixture file's exact bytes, e.g. <c>Fixture("shopify/orders-create.shopify-docs-2026-04.json")</c>.</summary>
    public static byte[] Fixture(string relativePath)
    {
        var path = Path.Combine(SharedFixtures, relativePath);
        return File.Exists(path)
            ? File.ReadAllBytes(path)
            : throw new FileNotFoundException($"Fixture not found: {path} (shared/ must sit beside the repository).", path);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Integration.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Integration.sln not found above " + AppContext.BaseDirectory);
    }
}
