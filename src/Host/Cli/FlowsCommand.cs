using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Integration.Workflows;
using Integration.Workflows.Connectors;
using Integration.Workflows.Execution;
using Integration.Workflows.Loading;

namespace Integration.Host.Cli;

/// <summary>
/// <c>flows validate [PATH]</c>: checks flow files (default: <c>flows/</c>) and prints every problem with file, JSON
/// path and reason; exits 1 if there is any. <c>flows run FILE --input JSON</c>: runs a flow in process and prints its
/// status, output, variables, console and journal; exits 1 if it faulted.
/// </summary>
internal static class FlowsCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create()
    {
        var path = new Argument<string?>("path") { Description = "A flow file or a folder of them (default: flows/).", Arity = ArgumentArity.ZeroOrOne };
        var validate = new Command("validate", "Check flow files and report every problem.") { path };
        validate.SetAction(parse => Validate(parse.GetValue(path) ?? "flows", parse.InvocationConfiguration.Output));

        var file = new Argument<string>("file") { Description = "The flow file to run." };
        var input = new Option<string?>("--input") { Description = "The flow's input as a JSON object." };
        var run = new Command("run", "Run a flow in process and print its output and journal.") { file, input };
        run.SetAction((parse, ct) => RunAsync(parse.GetValue(file)!, parse.GetValue(input), parse.InvocationConfiguration.Output, ct));

        return new Command("flows", "Check and run flow files (Elsa 3 workflow JSON).") { validate, run };
    }

    /// <summary>The runtime as the host has it: built-in activities and every connector's.</summary>
    internal static ServiceProvider Runtime(string? folder = null)
    {
        var services = new ServiceCollection();
        if (folder is not null)
        {
            services.AddSingleton<IFlowDefinitions>(provider => new FlowFolderDefinitions(folder, provider.GetRequiredService<FlowLoader>()));
        }

        var configuration = new ConfigurationBuilder().Build();
        foreach (var module in Connectors.ConnectorRegistration.Shipped)
        {
            module.Register(new ConnectorContext(services, configuration));
        }

        services.AddHostActivities();
        // Outbound calls go where the host's would: Flows__Http__AllowedHosts__0=... in the environment (none by default).
        services.Configure<Integration.Workflows.Http.FlowHttpOptions>(
            new ConfigurationBuilder().AddEnvironmentVariables().Build().GetSection(Integration.Workflows.Http.FlowHttpOptions.Section));
        return services.AddFlowRuntime().BuildServiceProvider();
    }

    private static int Validate(string path, TextWriter output)
    {
        using var runtime = Runtime();
        var loader = runtime.GetRequiredService<FlowLoader>();
        IReadOnlyList<string> files = Directory.Exists(path) ? Directory.GetFiles(path, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray()
            : File.Exists(path) ? [path]
            : [];
        return FileCheckReport.Print(path, files, "flow", file =>
        {
            var result = loader.LoadFile(file);
            return result.IsValid
                ? ($"{result.Definition!.AllActivities().Count()} activities{(result.Definition.IsPublished ? "" : ", retracted (not run until published)")}", [])
                : (null, result.Problems.Select(p => p.ToString()));
        }, output);
    }

    private static async Task<int> RunAsync(string file, string? input, TextWriter output, CancellationToken cancellationToken)
    {
        using var runtime = Runtime(Path.GetDirectoryName(Path.GetFullPath(file)));
        var loaded = runtime.GetRequiredService<FlowLoader>().LoadFile(file);
        if (!loaded.IsValid)
        {
            foreach (var problem in loaded.Problems)
            {
                output.WriteLine(problem.ToString());
            }

            return 1;
        }

        var arguments = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (!string.IsNullOrWhiteSpace(input))
        {
            foreach (var (name, value) in JsonNode.Parse(input)!.AsObject())
            {
                arguments[name] = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value?.DeepClone();
            }
        }

        var state = await runtime.GetRequiredService<FlowRunner>().RunAsync(loaded.Definition!, arguments, cancellationToken: cancellationToken);
        output.WriteLine(JsonSerializer.Serialize(new
        {
            status = state.Status.ToString(),
            state.Output,
            state.Variables,
            state.Console,
            state.HttpResponse,
            state.Incidents,
            state.Bookmarks,
            journal = state.Journal.Select(j => new { j.ActivityId, j.ActivityType, j.Name, j.Outcomes, microseconds = Math.Round(j.Microseconds, 1), j.Error }),
        }, Json));
        return state.Status == FlowRunStatus.Faulted ? 1 : 0;
    }
}
