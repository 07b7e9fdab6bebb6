using System.Text.Json.Nodes;

namespace Integration.Designer.Definitions;

/// <summary>
/// Elsa's links convention: Studio makes a definition editable only when it carries a <c>publish</c> link, and the
/// flow list offers create and bulk actions only with a <c>bulk-publish</c> link.
/// </summary>
internal static class Links
{
    public static JsonArray ForDefinition(string definitionId)
    {
        var id = Uri.EscapeDataString(definitionId);
        return
        [
            Link($"/workflow-definitions/by-definition-id/{id}", "self", "GET"),
            Link($"/workflow-definitions/{id}/execute", "execute", "POST"),
            Link($"/workflow-definitions/{id}/export", "export", "POST"),
            Link($"/workflow-definitions/{id}/publish", "publish", "POST"),
            Link($"/workflow-definitions/{id}/retract", "retract", "POST"),
            Link($"/workflow-definitions/{id}", "delete", "DELETE"),
        ];
    }

    public static JsonArray ForList() =>
    [
        Link("/workflow-definitions", "self", "GET"),
        Link("/workflow-definitions/validation/is-name-unique", "is-name-unique", "GET"),
        Link("/bulk-actions/publish/workflow-definitions/by-definition-ids", "bulk-publish", "POST"),
        Link("/workflow-definitions/import", "import", "POST"),
        Link("/workflow-definitions", "create", "POST"),
    ];

    private static JsonObject Link(string href, string rel, string method) => new() { ["href"] = href, ["rel"] = rel, ["method"] = method };
}
