using System.CommandLine;
using Integration.Mappings.Loading;

namespace Integration.Host.Cli;

/// <summary>
/// <c>mappings validate [PATH]</c>: checks mapping files (default: <c>mappings/</c>) and prints every problem with
/// file, JSON path and reason; exits 1 if there is any.
/// </summary>
internal static class MappingsCommand
{
    public static Command Create()
    {
        var path = new Argument<string?>("path") { Description = "A mapping file or a folder of them (default: mappings/).", Arity = ArgumentArity.ZeroOrOne };
        var validate = new Command("validate", "Check mapping files and report every problem.") { path };
        validate.SetAction(parse => Validate(parse.GetValue(path) ?? "mappings", parse.InvocationConfiguration.Output));
        return new Command("mappings", "Check field-mapping files (master system per field).") { validate };
    }

    internal static int Validate(string path, TextWriter output)
    {
        IReadOnlyList<string> files = Directory.Exists(path) ? MappingCatalog.Files(path) : File.Exists(path) ? [path] : [];
        return FileCheckReport.Print(path, files, "mapping", file =>
        {
            var result = MappingLoader.LoadFile(file);
            var mapping = result.Definition;
            return result.IsValid
                ? ($"{mapping!.Left.System} {mapping.Left.Entity} <-> {mapping.Right.System} {mapping.Right.Entity}, {mapping.FieldCount} fields, {mapping.Arrays.Count} arrays", [])
                : (null, result.Problems.Select(p => p.ToString()));
        }, output);
    }
}
