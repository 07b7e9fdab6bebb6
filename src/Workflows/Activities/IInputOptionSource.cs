namespace Integration.Workflows.Activities;

/// <summary>
/// Values an activity input may take that only the running host knows: configured stores, mapping files, flows,
/// event names. The designer offers them as a dropdown (Elsa's option providers). A connector registers its own as a
/// singleton; several sources may serve one input, and their options are offered together.
/// </summary>
public interface IInputOptionSource
{
    /// <summary>Whether this source gives the options of <paramref name="inputName"/> (camelCase, as in the JSON) of that activity type.</summary>
    bool Serves(string activityTypeName, string inputName);

    /// <summary>The options now (configuration and loaded files can change while the host runs).</summary>
    IReadOnlyList<InputOption> Options(string activityTypeName, string inputName);
}

/// <summary>One value an input may take, and the text the designer shows for it.</summary>
public sealed record InputOption(string Value, string Text);
