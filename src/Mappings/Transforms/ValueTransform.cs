namespace Integration.Mappings.Transforms;

/// <summary>
/// A built-in converter applied to a field's value on its way to the target (value map, default, concat, rounding,
/// time zone, unit, key map, JavaScript...). Built once when the mapping loads; stateless and thread-safe.
/// Throws <see cref="MappingValueException"/> when the value cannot be converted.
/// </summary>
public abstract class ValueTransform
{
    public abstract string Name { get; }

    /// <summary>True for transforms that look something up (the key map): the engine then calls <see cref="ApplyAsync"/>.</summary>
    public virtual bool IsAsync => false;

    public abstract MappingValue Apply(MappingValue value, TransformScope scope);

    public virtual ValueTask<MappingValue> ApplyAsync(MappingValue value, TransformScope scope) => ValueTask.FromResult(Apply(value, scope));
}
