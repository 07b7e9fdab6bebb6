using Integration.Erp.Sales;
using Integration.Workflows.Activities;

namespace Integration.Connectors.Erp.Activities;

/// <summary>Reads a <c>{ system, store, id }</c> input: the store record an ERP document comes from.</summary>
internal static class DocumentSourceInput
{
    public static DocumentSource Read(ActivityContext context, string input)
    {
        var source = ErpJson.Read<DocumentSource>(context, input);
        return string.IsNullOrEmpty(source.System) || string.IsNullOrEmpty(source.Store) || string.IsNullOrEmpty(source.Id)
            ? throw new InvalidOperationException($"{context.Node.Type}: '{input}' needs system, store and id.")
            : source;
    }
}
