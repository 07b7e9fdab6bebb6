namespace Integration.Host.Cli;

/// <summary>
/// What <c>flows validate</c> and <c>mappings validate</c> print: a line per good file, a line per problem of a bad
/// one, then the totals; exit code 1 when a file is bad or none was found.
/// </summary>
internal static class FileCheckReport
{
    // check: for a file, the summary of a good one, or its problems (file, JSON path and reason).
    public static int Print(string path, IReadOnlyList<string> files, string kind, Func<string, (string? Summary, IEnumerable<string> Problems)> check, TextWriter output)
    {
        if (files.Count == 0)
        {
            output.WriteLine($"{path}: no {kind} files found");
            return 1;
        }

        var problems = 0;
        var invalid = 0;
        foreach (var file in files)
        {
            var (summary, found) = check(file);
            if (summary is not null)
            {
                output.WriteLine($"{file}: ok ({summary})");
                continue;
            }

            invalid++;
            foreach (var problem in found)
            {
                problems++;
                output.WriteLine(problem);
            }
        }

        output.WriteLine($"{files.Count} files, {invalid} invalid, {problems} problems");
        return invalid == 0 ? 0 : 1;
    }
}
