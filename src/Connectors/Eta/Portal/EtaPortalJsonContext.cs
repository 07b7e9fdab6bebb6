using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Integration.Connectors.Eta.Portal;

/// <summary>Refit's generated client needs a context; bodies go out as prepared content and answers are read as JSON nodes.</summary>
[JsonSerializable(typeof(JsonObject))]
internal sealed partial class EtaPortalJsonContext : JsonSerializerContext;
