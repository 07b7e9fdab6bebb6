using System.Text.Json.Nodes;

namespace Integration.Mappings.Transforms;

/// <summary>
/// <c>keyMap</c>: an external id to the ERP id of the same record (when the target is the ERP), or an ERP id to the
/// store's id (when the source is), through the key map of <c>entity</c> for the context's store.
/// An id the key map does not know fails the field, or with <c>notFound: "null"</c> writes null.
/// </summary>
public sealed class KeyMapTransform(string entity, string? system, bool nullWhenNotFound) : ValueTransform
{
    public const string Erp = "erp";

    public override string Name => "keyMap";

    public override bool IsAsync => true;

    public override MappingValue Apply(MappingValue value, TransformScope scope) =>
        ApplyAsync(value, scope).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<MappingValue> ApplyAsync(MappingValue value, TransformScope scope)
    {
        if (value.Text() is not { Length: > 0 } id)
        {
            return MappingValue.Missing;
        }

        var toErp = scope.Target.System == Erp;
        var external = system ?? (toErp ? scope.Source.System : scope.Target.System);
        var store = scope.Context.Store;
        var found = toErp
            ? await scope.KeyMap.FindErpIdAsync(external, entity, store, id, scope.Context.CancellationToken)
            : await scope.KeyMap.FindExternalIdAsync(external, entity, store, id, scope.Context.CancellationToken);
        return found is not null ? MappingValue.Of(JsonValue.Create(found))
            : nullWhenNotFound ? MappingValue.Missing
            : throw new MappingValueException($"keyMap: no {entity} '{id}' of {(toErp ? external : Erp)} in the key map (store '{store}')");
    }
}
