namespace Integration.Designer;

/// <summary>
/// <c>Designer</c> settings: where the Elsa Studio package was installed (by <c>scripts/designer-install</c>) and the
/// operator keys that open the designer and <c>/elsa/api</c>. With no key configured, both refuse every request.
/// </summary>
public sealed class DesignerOptions
{
    public const string Section = "Designer";

    /// <summary>The folder holding the package's <c>_framework</c> and <c>_content</c>; relative to the content root.</summary>
    public string StudioPath { get; set; } = ".data/designer/node_modules/@elsa-workflows/elsa-studio-wasm";

    /// <summary>Keys accepted as <c>Authorization: ApiKey &lt;key&gt;</c> or <c>Bearer &lt;key&gt;</c> (secrets: set them from the environment).</summary>
    public IList<string> ApiKeys { get; } = [];
}
