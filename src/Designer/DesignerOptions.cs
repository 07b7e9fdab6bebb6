namespace Integration.Designer;

/// <summary>
/// <c>Designer</c> settings: where the Elsa Studio package was installed (by <c>scripts/designer-install</c>). Who may
/// open it is the host's operator authentication (<c>Operators</c>, <c>keys create</c>).
/// </summary>
public sealed class DesignerOptions
{
    public const string Section = "Designer";

    /// <summary>The folder holding the package's <c>_framework</c> and <c>_content</c>; relative to the content root.</summary>
    public string StudioPath { get; set; } = ".data/designer/node_modules/@elsa-workflows/elsa-studio-wasm";

}
