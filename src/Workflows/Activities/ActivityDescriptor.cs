namespace Integration.Workflows.Activities;

/// <summary>
/// What an activity is, for the loader (validation) and the designer: its Elsa type name and version, category,
/// inputs (with UI hints), outputs and outcome ports. Trigger activities can start a flow. An activity with an
/// external effect (a call to a store, the ERP, the tax portal) makes a durable run commit its state right after it,
/// so a run taken over from a dead host does not do it again.
/// </summary>
public sealed record ActivityDescriptor(
    string TypeName,
    string Category,
    string DisplayName,
    IReadOnlyList<InputDescriptor> Inputs,
    IReadOnlyList<OutputDescriptor> Outputs,
    IReadOnlyList<string> Ports,
    int Version = 1,
    bool IsTrigger = false,
    bool HasDynamicPorts = false,
    string? Description = null,
    bool HasExternalEffect = false);

/// <summary>An input: name (camelCase, as in the JSON), type, whether it must be set, and how the designer edits it.</summary>
public sealed record InputDescriptor(string Name, string TypeName, bool Required = false, string UiHint = "singleline", string? Description = null);

/// <summary>An output that a flow can bind to a variable.</summary>
public sealed record OutputDescriptor(string Name, string TypeName, string? Description = null);
