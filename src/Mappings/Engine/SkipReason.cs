namespace Integration.Mappings.Engine;

/// <summary>Why a field was not written.</summary>
public enum SkipReason
{
    /// <summary>The source system does not master this field: the target keeps its value.</summary>
    NotMaster,

    /// <summary>The target already holds this value.</summary>
    Unchanged,

    /// <summary>The source reports back a value the host itself wrote there: our own change, not a person's.</summary>
    Echo,

    /// <summary>The source has no value and the field says to leave the target alone.</summary>
    Missing,

    /// <summary>Both systems master the field, they differ, and the conflict rule did not pick the source (or a person must decide).</summary>
    Conflict,

    /// <summary>The field is written only when the target record is created, and this one exists.</summary>
    CreateOnly,
}
